import angular from '@angular-eslint/eslint-plugin';
import angularTemplate from '@angular-eslint/eslint-plugin-template';
import * as angularTemplateParser from '@angular-eslint/template-parser';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const API_RESTRICTED_PATHS = [
  { name: 'class-validator', importNames: ['IsOptional'], message: 'Use OptionalNotNull() or OptionalNullable() from common/dto/presence.' },
];

/**
 * What each folder of apps/api/src may import, deny by default, as the Nx tags do between
 * projects (docs/architecture.md). An entry is a whole folder, or one file of it: the only
 * door into that folder from here. Top-level files (app.module, http-app, main) compose the
 * app and are imported by no folder; tests may reach inside anything.
 */
const API_FOLDERS = {
  common: [],
  config: [],
  migrations: [],
  database: ['common', 'config', 'migrations'],
  storage: ['common', 'config'],
  jobs: ['common', 'config', 'database'],
  access: ['common', 'config', 'database'],
  audit: ['access', 'common', 'config', 'database'],
  // Identity owns the accounts' storage (who someone is, how they prove it); account administration stands on it.
  auth: ['access', 'audit', 'common', 'config', 'database', 'jobs'],
  profiles: ['access', 'audit', 'common', 'config', 'database'],
  accounts: ['access', 'audit', 'auth', 'common', 'config', 'database', 'profiles'],
  bootstrap: ['audit', 'auth', 'common', 'config', 'database', 'profiles'],
  me: ['access', 'audit', 'auth', 'common', 'config', 'database'],
  health: ['access', 'common', 'config', 'database'],
  setup: ['access', 'common', 'config', 'database'],
  spaces: ['access', 'audit', 'auth/accounts.repository', 'auth/accounts-storage.module', 'common', 'config', 'database'],
  projects: ['access', 'audit', 'auth/accounts.repository', 'auth/accounts-storage.module', 'common', 'config', 'database', 'spaces'],
  'support-groups': ['access', 'audit', 'common', 'config', 'database', 'spaces'],
  // Tickets read a ticket's group and the people it may be given to through the groups' storage.
  tickets: [
    'access',
    'auth',
    'common',
    'config',
    'database',
    'projects',
    'support-groups/support-groups.repository',
    'support-groups/support-groups-storage.module',
    // The journal keeps the service-level clocks (ADR 0051).
    'clocks',
  ],
  // Antivirus scanning of stored files (clamd), for every feature that keeps files.
  scanning: ['access', 'audit', 'common', 'config', 'database', 'jobs', 'storage'],
  // Tickets are reached through their port and their events only.
  attachments: ['access', 'audit', 'common', 'config', 'database', 'scanning', 'storage', 'tickets/ticket-port', 'tickets/tickets.module'],
  mail: [
    'access',
    'attachments',
    'audit',
    'auth',
    'common',
    'config',
    'database',
    'projects',
    'scanning',
    'storage',
    'tickets/ticket-port',
    'tickets/tickets.module',
  ],
  'canned-replies': ['access', 'common', 'config', 'database', 'tickets/ticket-port', 'tickets/tickets.module'],
  // Exports read ticket lists through the port, write files to the store, run large ones as jobs (ADR 0043).
  // Exports write ticket lists (through the port) and the statistics tables (the statistics service);
  // the bell tells their requester when a large one is ready.
  exports: [
    'access',
    'audit',
    'auth',
    'common',
    'config',
    'database',
    'jobs',
    'notifications/in-app-notifications',
    'notifications/notifications.module',
    'stats/stats.dto',
    'stats/stats.module',
    'stats/stats.service',
    'storage',
    'tickets/ticket-port',
    'tickets/tickets.module',
  ],
  // Bulk actions change tickets through the port, as a person would one by one.
  bulk: ['access', 'audit', 'common', 'config', 'database', 'tickets/ticket-port', 'tickets/tickets.module'],
  notifications: [
    'access',
    'audit',
    'auth',
    'clocks',
    'common',
    'config',
    'database',
    'jobs',
    'mail',
    'support-groups/support-groups.repository',
    'support-groups/support-groups-storage.module',
    'tickets/ticket-port',
    'tickets/tickets.module',
  ],
  views: ['access', 'common', 'config', 'database', 'projects', 'spaces', 'tickets/ticket-port', 'tickets/tickets.module'],
  live: ['access', 'auth', 'common', 'config', 'database', 'tickets/ticket-port', 'tickets/tickets.module'],
  // Configuration management: items of projects, visibility from the access policy, tickets through their port.
  // The expiry watch runs as jobs and mails through the notifications' SMTP transport. Imports read
  // uploads as attachments do; exports are written by the ticket exports' writers (ADR 0047).
  cmdb: [
    'access',
    'attachments/multipart-upload',
    'audit',
    'auth',
    'common',
    'config',
    'database',
    'exports/ticket-table',
    'exports/writers/table-writer',
    'jobs',
    'notifications/notifications.module',
    'notifications/notifications.repository',
    'notifications/smtp-transport',
    'tickets/ticket-port',
    'tickets/tickets.module',
  ],
  // Business calendars: platform-wide settings that service levels count time in.
  calendars: ['access', 'audit', 'common', 'config', 'database'],
  // Service levels per project, counted in a calendar.
  'service-levels': ['access', 'audit', 'calendars', 'common', 'config', 'database', 'projects'],
  // Service-level clocks of tickets: their own SQL, calendars, jobs for the checks (ADR 0051).
  clocks: ['calendars', 'common', 'config', 'database', 'jobs'],
  // Statistics read tickets in their own statements, with the list's visibility condition from access (ADR 0041).
  stats: ['access', 'common', 'config', 'database'],
  // Monthly reports: figures from the statistics service, lists of the month in their own statements,
  // annexes through the export writers, files to the store, mailed by the job of the first of the month (ADR 0053).
  reports: [
    'access',
    'attachments/file-name',
    'audit',
    'auth',
    'clocks/clocks.module',
    'clocks/ticket-clocks.repository',
    'common',
    'config',
    'database',
    'exports/writers',
    'jobs',
    'notifications/notifications.module',
    'notifications/smtp-transport',
    'stats/stats-labels',
    'stats/stats.module',
    'stats/stats.service',
    'storage',
  ],
  // The deposit space: files through the store, uploads read as attachments are, tickets through the port.
  deposits: [
    'access',
    'attachments/file-name',
    'attachments/multipart-upload',
    'audit',
    'common',
    'config',
    'database',
    'projects',
    'scanning',
    'storage',
    'tickets/ticket-port',
    'tickets/tickets.module',
  ],
};
const API_TOP_LEVEL = ['app.module', 'http-app', 'main', 'error-filter'];

function apiFolderBoundaries() {
  return Object.entries(API_FOLDERS).map(([folder, allowed]) => {
    const patterns = [];
    for (const other of Object.keys(API_FOLDERS)) {
      if (other === folder || allowed.includes(other)) continue;
      const doors = allowed.filter((a) => a.startsWith(`${other}/`));
      const message = doors.length
        ? `${folder}/ reaches ${other}/ through ${doors.join(', ')} only (docs/architecture.md).`
        : `${folder}/ may not depend on ${other}/ (docs/architecture.md).`;
      for (const up of ['..', '../..']) {
        // A door in a sub-folder (exports/writers/table-writer): gitignore-style patterns re-include
        // a file only once its folder is re-included, and the rest of that folder excluded again.
        const nested = doors.flatMap((d) => {
          const parts = d.split('/').slice(1, -1);
          return parts.flatMap((_, i) => {
            const dir = [other, ...parts.slice(0, i + 1)].join('/');
            return [`!${up}/${dir}`, `${up}/${dir}/*`];
          });
        });
        patterns.push({ group: [`${up}/${other}/*`, ...nested, ...doors.map((d) => `!${up}/${d}`)], message });
      }
    }
    patterns.push({ group: API_TOP_LEVEL.flatMap((f) => [`../${f}`, `../../${f}`]), message: 'The top-level files compose the app; no folder imports them.' });
    return {
      files: [`apps/api/src/${folder}/**/*.ts`],
      ignores: ['**/*.spec.ts', '**/*.integration-spec.ts'],
      rules: { 'no-restricted-imports': ['error', { paths: API_RESTRICTED_PATHS, patterns }] },
    };
  });
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.data', '**/.nx', '**/.angular', 'tmp/**', 'docs/**'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      // Deny by default: a project may depend only on what its tag allows.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:api'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared', 'scope:web'] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared', 'scope:e2e'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // Rows read back right after INSERT ... RETURNING exist; the assertion says so.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The shared contracts and business time must stay framework-free: they are imported by the server and the browser.
    files: ['libs/contracts/**/*.ts', 'libs/business-time/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', '@angular/*', 'typeorm', 'rxjs', 'class-validator', 'express'] }],
    },
  },
  {
    // Every optional field says whether null is accepted: OptionalNotNull or OptionalNullable (ADR 0019).
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: API_RESTRICTED_PATHS }],
    },
  },
  // --- SQL only in repositories (ADR 0003, ADR 0025) -------------------------------------------
  {
    // Statements live in repositories and in Database; services, controllers and every other class
    // call them. The files below write SQL without being named *.repository.ts: fragments composed
    // into repository queries (visibility, ticket filters, the ticket list's and search's shared columns, the delay clock) and two stores of their own table.
    files: ['apps/api/src/**/*.ts'],
    ignores: [
      '**/*.repository.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      'apps/api/src/common/sql.ts',
      'apps/api/src/database/**',
      'apps/api/src/migrations/**',
      'apps/api/src/access/access-policy.ts',
      'apps/api/src/common/delay-clock.ts',
      'apps/api/src/tickets/ticket-filters.ts',
      'apps/api/src/tickets/ticket-summaries.ts',
      'apps/api/src/tickets/ticket-records.ts',
      'apps/api/src/jobs/job-queue.ts',
      'apps/api/src/auth/login-throttle.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "TaggedTemplateExpression[tag.name='sql']", message: 'SQL belongs in a repository (ADR 0003): call one, or pass it a fragment.' },
        {
          selector: "ImportDeclaration[importKind='value'][source.value=/common.sql$/] > ImportSpecifier[importKind='value']",
          message: 'Only repositories build SQL (ADR 0003); elsewhere import the Sql type alone.',
        },
        { selector: "ImportDeclaration[importKind='value'][source.value=/^typeorm|^pg$/]", message: 'The driver is reached through Database only (ADR 0025).' },
        {
          selector: "CallExpression[callee.property.name='query'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: 'SQL belongs in a repository (ADR 0003), or in a Database helper for locks and sessions (ADR 0025).',
        },
      ],
    },
  },
  // ---------------------------------------------------------------------------------------------
  ...apiFolderBoundaries(),
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },

  // --- Type-aware rules and Angular templates (ADR 0027) ---
  {
    // Each project's tsconfig.json points at its app and spec configs; the project service reads them.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `import type { A }` when every name is a type, `import { a, type B }` when mixed. Files with
      // decorators are left alone by the rule: Nest's injection reads the types in emitted metadata.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    files: ['apps/web/**/*.ts'],
    plugins: { '@angular-eslint': angular, '@angular-eslint/template': angularTemplate },
    processor: angularTemplate.processors['extract-inline-html'],
    rules: angular.configs.recommended.rules,
  },
  {
    // Templates in .html files and inline templates (extracted by the processor above).
    files: ['apps/web/**/*.html'],
    languageOptions: { parser: angularTemplateParser },
    plugins: { '@angular-eslint/template': angularTemplate },
    rules: { ...angularTemplate.configs.recommended.rules, ...angularTemplate.configs.accessibility.rules },
  },
  // --- end of type-aware rules and Angular templates ---
  // Last: layout is Prettier's (npm run format); rules that would disagree with it are off.
  prettier,
];
