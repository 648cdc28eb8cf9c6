// Jest runs our ES modules as ESM (Node's --experimental-vm-modules, set by scripts/run-tests.ts);
// @swc/jest strips the types because ts-jest cannot run beside TypeScript 7.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2024' }, module: { type: 'es6' } },
    ],
  },
  testMatch: ['<rootDir>/{src,workflows,activities,workers,test}/**/*.test.ts'],
  testTimeout: 60_000,
  maxWorkers: 1,
};
