import type { EffectiveAccessLevel, ProjectAccessLevel } from './access';
import type { Right } from './rights';

export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['fr', 'en'];

export interface Page<T> {
  items: T[];
  total: number;
  /** Opaque cursor for the next page, absent on the last page. */
  nextCursor?: string;
}

// --- authentication -------------------------------------------------------
export interface LoginRequest {
  email: string;
  password: string;
}

export interface SessionResponse {
  accessToken: string;
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
  me: Me;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface ResetPasswordRequest {
  token: string;
  newPassword: string;
}

/** "Forgot password": the answer is the same whether an account uses the address or not. */
export interface ForgotPasswordRequest {
  email: string;
}

export interface ResetLinkRequest {
  token: string;
}

/** Whom a valid activation or reset link is for, shown on the page that opens it. */
export interface ResetLinkInfo {
  email: string;
  displayName: string;
  purpose: 'activation' | 'reset';
  expiresAt: string;
}

export interface PasswordPolicy {
  minLength: number;
  minScore: number;
}

export interface PasswordCheckRequest {
  password: string;
  email?: string;
  displayName?: string;
}

export interface PasswordCheckResponse {
  acceptable: boolean;
  score: number;
  problems: string[];
}

// --- accounts -------------------------------------------------------------
export interface ProfileRef {
  id: string;
  code: string;
  nameFr: string;
  nameEn: string;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  profile: ProfileRef;
  rights: Right[];
  mustChangePassword: boolean;
  /** Ticket events this person is told about by email (see NOTIFICATION_EVENTS). */
  notifyOn: string[];
  /** E.164 mobile number for incident alerts, or null. */
  mobilePhone: string | null;
}

export interface UpdateMeRequest {
  displayName?: string;
  locale?: Locale;
  notifyOn?: string[];
  mobilePhone?: string | null;
}

export interface Account {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  profile: ProfileRef;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  /** On GET /api/accounts/{id} only: what became of the last link emailed to the account, if any. */
  linkMail?: LinkMailStatus | null;
}

/** `queued`: waiting to be sent, or to be tried again after `error`; `failed`: given up. */
export interface LinkMailStatus {
  state: 'queued' | 'sent' | 'failed';
  purpose: 'activation' | 'reset';
  queuedAt: string;
  sentAt: string | null;
  error: string | null;
}

export interface CreateAccountRequest {
  email: string;
  displayName: string;
  locale?: Locale;
  profileId: string;
}

export interface UpdateAccountRequest {
  displayName?: string;
  locale?: Locale;
  profileId?: string;
  active?: boolean;
}

/** A single-use, expiring link that lets the account holder choose a password. */
export interface PasswordResetLink {
  url: string;
  token: string;
  expiresAt: string;
  /** Whether the link went to the account's address by email, or must be handed over by hand. */
  mail: LinkMail;
}

/** `queued`: an email carrying the link is on its way; `not_configured`: no SMTP server is set. */
export type LinkMail = 'queued' | 'not_configured';

// --- getting started ------------------------------------------------------
export const SETUP_STEPS = ['smtp', 'space', 'project', 'accounts', 'mailbox'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** The steps of a fresh install that the caller may do, each ticked from the real state. */
export interface SetupChecklist {
  steps: { step: SetupStep; done: boolean }[];
}

export interface CreateAccountResponse {
  account: Account;
  activation: PasswordResetLink;
}

export interface AccountAccess {
  spaces: { id: string; name: string }[];
  projects: { key: string; name: string; spaceId: string; level: ProjectAccessLevel }[];
}

// --- profiles -------------------------------------------------------------
export interface Profile extends ProfileRef {
  rights: Right[];
  builtin: boolean;
  accountCount: number;
}

export interface CreateProfileRequest {
  code: string;
  nameFr: string;
  nameEn: string;
  rights: Right[];
}

export interface UpdateProfileRequest {
  nameFr?: string;
  nameEn?: string;
  rights?: Right[];
}

// --- spaces and projects ----------------------------------------------------
export interface Space {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  projectCount: number;
}

export interface CreateSpaceRequest {
  name: string;
  description?: string;
}

export interface UpdateSpaceRequest {
  name?: string;
  description?: string;
}

export interface SpaceMember {
  accountId: string;
  email: string;
  displayName: string;
  profileCode: string;
}

export interface Project {
  id: string;
  key: string;
  name: string;
  description: string;
  spaceId: string;
  spaceName: string;
  createdAt: string;
  /** What the current user may do in this project. */
  myAccess: EffectiveAccessLevel;
}

export interface CreateProjectRequest {
  key: string;
  name: string;
  spaceId: string;
  description?: string;
}

export interface UpdateProjectRequest {
  name?: string;
  description?: string;
}

export interface ProjectMember {
  accountId: string;
  email: string;
  displayName: string;
  level: ProjectAccessLevel;
  grantedAt: string;
}

export interface GrantProjectAccessRequest {
  level: ProjectAccessLevel;
}

/**
 * A project's incident contact (R9.3): a member of the project told at once, by email and for P1
 * also by SMS, of an incident the support team detected itself.
 */
export interface IncidentContact {
  accountId: string;
  email: string;
  displayName: string;
  /** Whether a mobile number is known, so that a P1 reaches him by SMS too. */
  reachableBySms: boolean;
}

export interface ReplaceIncidentContactsRequest {
  accountIds: string[];
}

/** Enough for a customer's on-call list; more would be a mailing list. */
export const MAX_INCIDENT_CONTACTS = 20;

// --- personal API tokens ---------------------------------------------------
export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface CreateApiTokenRequest {
  name: string;
  /** Days until expiry; absent = never expires. */
  expiresInDays?: number;
}

export interface CreatedApiToken extends ApiToken {
  /** Shown once; only its hash is stored. */
  token: string;
}

// --- audit --------------------------------------------------------------------
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEvent {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  /** The actor's display name as it is now; null for an unknown or deleted account. */
  actorName: string | null;
  action: string;
  outcome: AuditOutcome;
  objectType: string | null;
  objectId: string | null;
  /**
   * The object's name as it is now (account, space, project, ticket title), only when the reader
   * may see that object; null otherwise or when it no longer exists.
   */
  objectName: string | null;
  /** The key of a project or a ticket, under the same conditions as objectName. */
  objectKey: string | null;
  /**
   * Names of what `details` refers to by id (`accountId`, `spaceId`), keyed by that id, under the
   * same conditions as objectName.
   */
  detailNames: Record<string, string>;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  action?: string;
  outcome?: AuditOutcome;
  actor?: string;
  objectType?: string;
  objectId?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface Health {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  version: string;
}
