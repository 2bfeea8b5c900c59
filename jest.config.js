// One jest run for the whole workspace: unit specs beside the code, integration and e2e under */test.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@aftersales/service-([a-z]+)$': '<rootDir>/services/$1/src/index.ts',
    '^@aftersales/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testMatch: ['<rootDir>/{libs,services,apps,tools}/**/*.{spec,e2e-spec}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
  testTimeout: 60000,
  // two files at a time: most of a suite's time is spent waiting on PostgreSQL, Kafka or a child
  // process, so two workers keep both cores busy (CI's PostgreSQL allows 100 connections)
  maxWorkers: 2,
  testSequencer: '<rootDir>/tools/jest/long-first.sequencer.js',
};
