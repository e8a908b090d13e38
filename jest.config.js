// One Jest run for every suite: api unit + integration (real PostgreSQL), web unit and browser e2e.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const { createCjsPreset } = require('jest-preset-angular/presets');

const moduleNameMapper = {
  '^@guichet/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@guichet/business-time$': '<rootDir>/libs/business-time/src/index.ts',
};

module.exports = {
  projects: [
    {
      displayName: 'api',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/api/**/*.spec.ts', '<rootDir>/apps/api/**/*.integration-spec.ts', '<rootDir>/libs/**/*.spec.ts'],
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      globalSetup: '<rootDir>/apps/api/test/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/test/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/apps/api/test/jest-setup.ts'],
    },
    {
      // Web client units: Angular's TestBed in jsdom, templates compiled just in time. No server, no browser.
      ...createCjsPreset({
        testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
        tsconfig: '<rootDir>/apps/web/tsconfig.spec.json',
      }),
      displayName: 'web',
      rootDir: __dirname,
      testMatch: ['<rootDir>/apps/web/src/**/*.spec.ts'],
      moduleNameMapper,
      setupFilesAfterEnv: ['<rootDir>/apps/web/src/test-setup.ts'],
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      setupFilesAfterEnv: ['<rootDir>/e2e/support/jest-setup.ts'],
    },
  ],
};
