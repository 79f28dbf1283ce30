// `npm run mutate`: StrykerJS, one scope at a time (scripts/mutate.mjs sets MUTATE_SCOPE; the scopes
// are the files in stryker/). Each scope keeps its own incremental file, so a rerun tests only the
// mutants whose code or covering tests changed. Not part of CI. One mutant at a time, niced: the
// machine is shared. See TESTING.md.
const name = process.env.MUTATE_SCOPE ?? 'sync';
const scope = (await import(`./stryker/${name}.mjs`)).default;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.mts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: scope.mutate,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  tempDirName: `.stryker-tmp-${name}`,
  // Another scope's sandbox and old reports are not part of the project.
  ignorePatterns: ['.stryker-tmp*', 'reports'],
  cleanTempDir: 'always',
};
