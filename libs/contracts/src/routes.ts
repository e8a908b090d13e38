/** Paths of the HTTP API, shared by the server, the web client and the tests. */
export const API_PREFIX = '/api';

export const ApiRoutes = {
  health: '/healthz',
  openApi: '/api/openapi.json',
  docs: '/api/docs',
  login: '/api/auth/login',
  refresh: '/api/auth/refresh',
  logout: '/api/auth/logout',
  changePassword: '/api/auth/password',
  resetPassword: '/api/auth/password-reset',
  forgotPassword: '/api/auth/password-forgotten',
  resetLink: '/api/auth/reset-link',
  setupChecklist: '/api/setup/checklist',
  passwordPolicy: '/api/auth/password-policy',
  passwordCheck: '/api/auth/password-check',
  me: '/api/me',
  myTokens: '/api/me/tokens',
  accounts: '/api/accounts',
  profiles: '/api/profiles',
  spaces: '/api/spaces',
  projects: '/api/projects',
  tickets: '/api/tickets',
  home: '/api/home',
  views: '/api/views',
  cannedReplies: '/api/canned-replies',
  calendars: '/api/calendars',
  ticketsBulk: '/api/tickets/bulk',
  attachments: '/api/attachments',
  mailboxes: '/api/mail/mailboxes',
  smtp: '/api/mail/smtp',
  mailReview: '/api/mail/review',
  mailOutbound: '/api/mail/outbound',
  mailAddresses: '/api/mail/addresses',
  audit: '/api/audit',
  auditCsv: '/api/audit/export.csv',
  // CMDB (issue 19): types, items (with /:id/relations, /impact, /history, /tickets), relations, a ticket's items.
  cmdbTypes: '/api/cmdb/types',
  cmdbItems: '/api/cmdb/items',
  cmdbRelations: '/api/cmdb/relations',
  cmdbTickets: '/api/cmdb/tickets',
  cmdbExpiring: '/api/cmdb/expiring',
  cmdbImport: '/api/cmdb/import',
  cmdbExport: '/api/cmdb/export',
  stats: '/api/stats',
  exports: '/api/exports',
} as const;

/** A project key such as HWEB: an upper-case letter then 1 to 9 upper-case letters or digits. */
const PROJECT_KEY = '[A-Z][A-Z0-9]{1,9}';
/** A ticket key such as HWEB-12: its project's key, a dash, its number in the project (from 1). */
const TICKET_KEY = `${PROJECT_KEY}-[1-9][0-9]{0,9}`;

/** Project keys such as HWEB: an upper-case letter then 1 to 9 upper-case letters or digits. */
export const PROJECT_KEY_PATTERN = new RegExp(`^${PROJECT_KEY}$`);
/** Ticket keys such as HWEB-12: a project key, a dash and a number without leading zero. */
export const TICKET_KEY_PATTERN = new RegExp(`^${TICKET_KEY}$`);
/** The same two keys within a longer text (a mail subject, a plus address), for a larger pattern. */
export const PROJECT_KEY_SOURCE = PROJECT_KEY;
export const TICKET_KEY_SOURCE = TICKET_KEY;
