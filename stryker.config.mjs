// `npm run mutate`: StrykerJS over the sync engine, the mirror, the connectors and the renderer
// hooks (see TESTING.md). Incremental: the results are kept in reports/stryker-incremental.json,
// so a rerun tests only the mutants whose code or covering tests changed. Not part of CI.
// One mutant at a time, niced: the machine is shared. One folder: `npm run mutate -- --mutate 'src/main/core/sync/**/*.ts'`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.mts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'src/main/core/sync/**/*.ts',
    'src/main/core/mirror/**/*.ts',
    'src/main/core/connectors/**/*.ts',
    'src/renderer/src/hooks/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  // Another run's sandbox (a second --tempDirName) and old reports are not part of the project.
  ignorePatterns: ['.stryker-tmp*', 'reports'],
  cleanTempDir: 'always',
};
