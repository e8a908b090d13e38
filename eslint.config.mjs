import nx from '@nx/eslint-plugin';

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
    // The shared contracts must stay framework-free: they are imported by the server and the browser.
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', '@angular/*', 'typeorm', 'rxjs', 'class-validator', 'express'] },
      ],
    },
  },
  {
    // Every optional field says whether null is accepted: OptionalNotNull or OptionalNullable (ADR 0019).
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'class-validator', importNames: ['IsOptional'], message: 'Use OptionalNotNull() or OptionalNullable() from common/dto/presence.' }] },
      ],
    },
  },
  // --- SQL only in repositories (ADR 0003, ADR 0025) -------------------------------------------
  {
    // Statements live in repositories and in Database; services, controllers and every other class
    // call them. The files below write SQL without being named *.repository.ts: fragments composed
    // into repository queries (visibility, ticket filters) and two stores of their own table.
    files: ['apps/api/src/**/*.ts'],
    ignores: [
      '**/*.repository.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      'apps/api/src/common/sql.ts',
      'apps/api/src/database/**',
      'apps/api/src/migrations/**',
      'apps/api/src/access/access-policy.ts',
      'apps/api/src/tickets/ticket-filters.ts',
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
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
