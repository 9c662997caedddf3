// Two projects: fast unit specs beside the code, and integration tests that run
// the real services against real Postgres and Kafka started by the harness.
const preset = require('./jest.preset');

module.exports = {
  // Integration tests boot real services; a per-test ceiling generous enough for a busy 2-core CI machine.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  projects: [
    { ...preset, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'] },
    {
      ...preset,
      displayName: 'integration',
      // Set-up hooks start whole platforms (Postgres schemas, two services, Kafka consumer groups): on a
      // 2-core machine busy with other work one start took over 60 s (hostile-oauth in a loaded CI run).
      testTimeout: 180_000,
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.int.ts'],
      globalSetup: '<rootDir>/libs/shared/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/shared/testing/src/jest/global-teardown.ts',
    },
  ],
};
