import {
  ALL_STATUSES,
  CUSTOMER_TRANSITIONS,
  LINK_INVERSE,
  LINK_TYPES,
  type AuditAction,
  type ClockName,
  type ClockState,
  type EffectiveAccessLevel,
  type Environment,
  type ErrorCode,
  type Level,
  type MailSecurity,
  type TicketMailKind,
  type OutboundStatus,
  type Priority,
  type Right,
  type TicketKind,
  type TicketSort,
  type TicketSource,
} from '@guichet/contracts';
import type { fr } from './fr';

export type TranslationKey = keyof typeof fr;

/**
 * A message about a number of things: `Intl.PluralRules` of the language picks the form from the
 * `count` parameter ("1 compte", "0 compte", "2 comptes"; "0 accounts" in English); `other` is
 * the fallback for categories a language does not write out.
 */
export type PluralForms = { readonly other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

/** Every language must translate every key of the French source, with plural forms where it has them. */
export type Dictionary = { [K in TranslationKey]: (typeof fr)[K] extends string ? string : PluralForms };

/*
 * Compile-time coverage: these template types must be keys of the dictionary, so adding a right,
 * an error code or an access level to the contracts without translating it breaks the build.
 */
export const rightKey = (right: Right): TranslationKey => `right.${right}`;
export const errorKey = (code: ErrorCode): TranslationKey => `error.${code}`;
export const accessKey = (level: EffectiveAccessLevel): TranslationKey => `access.${level}`;
export const kindKey = (kind: TicketKind): TranslationKey => `kind.${kind}`;
export const kindHelpKey = (kind: TicketKind): TranslationKey => `kindHelp.${kind}`;
export const priorityKey = (priority: Priority): TranslationKey => `priority.${priority}`;
export const urgencyKey = (level: Level): TranslationKey => `urgency.${level}`;
export const impactKey = (level: Level): TranslationKey => `impact.${level}`;
export const sourceKey = (source: TicketSource): TranslationKey => `source.${source}`;
export const environmentKey = (environment: Environment): TranslationKey => `environment.${environment}`;
export const sortKey = (sort: TicketSort): TranslationKey => `tickets.sort.${sort}`;
export const clockKey = (clock: ClockName): TranslationKey => `ticket.clock.${clock}`;
export const clockStateKey = (state: ClockState): TranslationKey => `ticket.clockState.${state}`;
export const mailSecurityKey = (security: MailSecurity): TranslationKey => `mail.security.${security}`;
export const notificationEventKey = (event: TicketMailKind): TranslationKey => `notify.${event}`;
export const outboundStatusKey = (status: OutboundStatus): TranslationKey => `outbound.status.${status}`;
export const auditActionKey = (action: AuditAction): TranslationKey => `auditAction.${action}`;
export const outboundFilterKey = (status: OutboundStatus): TranslationKey => `outbound.filter.${status}`;
export const outboundEmptyKey = (status: OutboundStatus): TranslationKey => `outbound.empty.${status}`;

/**
 * Why a received message waits in the review queue. The contracts type `ReviewItem.reason` as a
 * plain string (`code` or `code: detail`), so the known codes are listed here and checked against
 * the dictionary by the compiler; an unknown code is shown as it is (see mail-labels.ts).
 */
export const REVIEW_REASONS = [
  'unknown_sender',
  'account_disabled',
  'not_allowed_on_ticket',
  'not_allowed_in_project',
  'no_project_for_address',
  'rate_limited',
  'too_large',
  'unparsable',
  'refused',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
/**
 * The kinds of object the audit trail names (AuditEvent.objectType is a plain string): those of the
 * recorded actions and those of refused accesses. An unknown one is shown as it is.
 */
export const AUDIT_OBJECT_TYPES = [
  'account',
  'api_token',
  'attachment',
  'comment',
  'inbound_message',
  'link',
  'mail_address',
  'mailbox',
  'message',
  'outbound_message',
  'profile',
  'project',
  'project_member',
  'review_item',
  'route',
  'session',
  'smtp',
  'space',
  'space_member',
  'ticket',
  'ticket_bulk',
  'watcher',
] as const;
export type AuditObjectType = (typeof AUDIT_OBJECT_TYPES)[number];
export const auditObjectKey = (type: AuditObjectType): TranslationKey => `auditObject.${type}`;

export const reviewReasonKey = (reason: ReviewReason): TranslationKey => `review.reason.${reason}`;

/*
 * Workflow statuses and the inverse link names are plain strings in the contracts, so the compiler
 * cannot check them: `assertTicketLabels` does when the application loads (see i18n.service.ts),
 * and a status added to WORKFLOWS without its labels stops every page, hence every browser test.
 */
const linkTypeNames: readonly string[] = [...new Set([...LINK_TYPES, ...Object.values(LINK_INVERSE)])];
const runtimeCheckedKeys: readonly string[] = [...ALL_STATUSES.map((status) => `status.${status}`), ...linkTypeNames.map((type) => `linkType.${type}`)];

/**
 * The moves a requester makes without write access (CUSTOMER_TRANSITIONS), named by what he does
 * rather than by the status reached: "Confirmer la résolution", not "Passer à « Clos »". Keyed
 * "from>to"; the same pair means the same act in every kind that has it.
 */
const customerMoveKeys: Readonly<Record<string, TranslationKey>> = {
  'resolved>closed': 'move.confirmResolution',
  'resolved>in_progress': 'move.reopen',
  'closed>in_progress': 'move.reopen',
  'waiting_customer>in_progress': 'move.resume',
  'assessed>approved': 'move.approveChange',
  'assessed>rejected': 'move.rejectChange',
  'deployed_preproduction>validated': 'move.validatePreproduction',
  'deployed_preproduction>scheduled': 'move.rejectPreproduction',
};

export const customerMoveKey = (from: string, to: string): TranslationKey | undefined => customerMoveKeys[`${from}>${to}`];

const unnamedCustomerMoves = (): string[] =>
  Object.values(CUSTOMER_TRANSITIONS).flatMap((moves) =>
    Object.entries(moves).flatMap(([from, tos]) => tos.filter((to) => !customerMoveKey(from, to)).map((to) => `${from}>${to}`)),
  );

export function assertTicketLabels(dictionaries: Record<string, Dictionary>): void {
  const missing = Object.entries(dictionaries).flatMap(([locale, dictionary]) =>
    runtimeCheckedKeys.filter((key) => !(key in dictionary)).map((key) => `${locale}:${key}`),
  );
  if (missing.length > 0) throw new Error(`Untranslated ticket labels: ${missing.join(', ')}`);
  const unnamed = unnamedCustomerMoves();
  if (unnamed.length > 0) throw new Error(`Customer moves without a name: ${unnamed.join(', ')}`);
}

export const statusKey = (status: string): TranslationKey => `status.${status}` as TranslationKey;
/** A link as read from either side: `causes` or `caused_by`. */
export const linkTypeKey = (type: string): TranslationKey => `linkType.${type}` as TranslationKey;
