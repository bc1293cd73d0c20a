/** Jest: ts-jest on the TypeScript sources; each suite names the behaviour it protects. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/reporters/summary.js'],
  moduleNameMapper: {
    '^practicus-infra$': '<rootDir>/lib/index.ts',
    '^practicus-infra/cdk8s$': '<rootDir>/lib/k8s/index.ts',
    '^practicus-infra/spec$': '<rootDir>/lib/spec/index.ts',
  },
};
