import type { Locale, ProfileRef, ProjectAccessLevel, Right } from '@guichet/contracts';

export interface ProjectGrant {
  projectId: string;
  spaceId: string;
  level: ProjectAccessLevel;
}

/** The authenticated user of a request, loaded from the database on every request. */
export interface Principal {
  accountId: string;
  email: string;
  displayName: string;
  locale: Locale;
  profile: ProfileRef;
  rights: ReadonlySet<Right>;
  /** Spaces the user belongs to or serves (R2.2). */
  spaceIds: readonly string[];
  /** Explicit per-project access rows (R2.3). */
  grants: readonly ProjectGrant[];
  mustChangePassword: boolean;
  notifyOn: string[];
  mobilePhone: string | null;
  authMethod: 'session' | 'apiToken';
}

/** Where a request came from, for the audit trail. */
export interface RequestContext {
  principal?: Principal;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuthenticatedContext extends RequestContext {
  principal: Principal;
}
