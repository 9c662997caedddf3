// Two projects: fast unit specs beside the code, and integration tests that run
// the real services against real Postgres and Kafka started by the harness.
const preset = require('./jest.preset');

module.exports = {
  // Integration tests boot real services; a per-test and per-hook ceiling generous enough for a busy
  // 2-core machine: one platform start in a set-up hook took over 60 s at load average 25 (hostile-oauth,
  // loaded CI run). Jest reads this from the global config only, so it also bounds unit specs.
  testTimeout: 180_000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  projects: [
    { ...preset, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'] },
    {
      ...preset,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.int.ts'],
      globalSetup: '<rootDir>/libs/shared/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/shared/testing/src/jest/global-teardown.ts',
    },
  ],
};
