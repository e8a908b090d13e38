/**
 * Per-project access of one account (R2.3). No row means `none`: deny by default.
 * - submit: open tickets and see only one's own (and watched) tickets;
 * - read: see every ticket of the project;
 * - write: read, and act on every ticket of the project.
 */
export const PROJECT_ACCESS_LEVELS = ['submit', 'read', 'write'] as const;
export type ProjectAccessLevel = (typeof PROJECT_ACCESS_LEVELS)[number];
export type EffectiveAccessLevel = ProjectAccessLevel | 'none';

const RANK: Record<EffectiveAccessLevel, number> = { none: 0, submit: 1, read: 2, write: 3 };

export function accessAtLeast(level: EffectiveAccessLevel, wanted: EffectiveAccessLevel): boolean {
  return RANK[level] >= RANK[wanted];
}

export function strongestAccess(a: EffectiveAccessLevel, b: EffectiveAccessLevel): EffectiveAccessLevel {
  return RANK[a] >= RANK[b] ? a : b;
}
