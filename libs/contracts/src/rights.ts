/**
 * Rights carried by profiles (R2.5). A right says what a user may do across the
 * spaces they reach; which objects they reach is decided by spaces and project access.
 */
export const RIGHTS = [
  'platform.allSpaces',
  'ticket.seeOthers',
  'ticket.actOnOthers',
  'ticket.internalNotes',
  'ticket.timeSpent',
  'ticket.openSupportKinds',
  'stats.read',
  'stats.export',
  'cmdb.read',
  'cmdb.manage',
  'deposits.manage',
  'spaces.manage',
  'accounts.manage',
  'access.manage',
  'profiles.manage',
  'mail.manage',
  'audit.read',
  'reversibility.export',
  'calendars.manage',
] as const;

export type Right = (typeof RIGHTS)[number];

export function isRight(value: string): value is Right {
  return (RIGHTS as readonly string[]).includes(value);
}

export const BUILTIN_PROFILE_CODES = ['administrator', 'agent', 'manager', 'beneficiary'] as const;
export type BuiltinProfileCode = (typeof BUILTIN_PROFILE_CODES)[number];

export interface BuiltinProfileDefinition {
  code: BuiltinProfileCode;
  nameFr: string;
  nameEn: string;
  rights: readonly Right[];
}

/** Profiles created by the first migration; administrators may add others. */
export const BUILTIN_PROFILES: readonly BuiltinProfileDefinition[] = [
  { code: 'administrator', nameFr: 'Administrateur', nameEn: 'Administrator', rights: RIGHTS },
  {
    code: 'agent',
    nameFr: 'Agent de support',
    nameEn: 'Support agent',
    rights: [
      'ticket.seeOthers',
      'ticket.actOnOthers',
      'ticket.internalNotes',
      'ticket.timeSpent',
      'ticket.openSupportKinds',
      'stats.read',
      'cmdb.read',
      'cmdb.manage',
      'deposits.manage',
    ],
  },
  {
    code: 'manager',
    nameFr: 'Responsable',
    nameEn: 'Manager',
    rights: ['ticket.seeOthers', 'ticket.timeSpent', 'stats.read', 'stats.export', 'cmdb.read'],
  },
  { code: 'beneficiary', nameFr: 'Bénéficiaire', nameEn: 'Beneficiary', rights: [] },
];
