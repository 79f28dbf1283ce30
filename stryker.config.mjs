// `npm run mutate`: StrykerJS, one scope at a time (scripts/mutate.mjs sets MUTATE_SCOPE; the scopes
// are the files in stryker/). Each scope keeps its own incremental file, so a rerun tests only the
// mutants whose code or covering tests changed. Not part of CI. Niced: the machine is shared.
// MUTATE_RUNNERS test runners at once (1 unless set), each with its own type checker. See TESTING.md.
const name = process.env.MUTATE_SCOPE ?? 'sync';
const scope = (await import(`./stryker/${name}.mjs`)).default;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.mts' },
  plugins: ['@stryker-mutator/*', './stryker/plugins/file-checker.mjs'],
  // `file-typescript` (stryker/plugins/file-checker.mjs) checks the mutated file only; MUTATE_CHECKER=typescript
  // for Stryker's own checker, which rechecks every file the mutant reaches (4-5x slower here).
  checkers: [process.env.MUTATE_CHECKER ?? 'file-typescript'],
  tsconfigFile: scope.tsconfig,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: scope.mutate,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  // Stryker gives half of `concurrency` to checkers and half to test runners.
  concurrency: 2 * Number(process.env.MUTATE_RUNNERS ?? 1),
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  tempDirName: `.stryker-tmp-${name}`,
  // Another scope's sandbox and old reports are not part of the project.
  ignorePatterns: ['.stryker-tmp*', 'reports'],
  cleanTempDir: 'always',
};
