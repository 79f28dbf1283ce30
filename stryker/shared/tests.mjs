// Tests several scopes run: the unit tests, and the in-process integration tests of the mirror
// and the engine over a temp SQLite file. The lint run is never a mutant's test.
export const unitTests = 'tests/unit/**/*.test.ts';
export const engineTests = [
  unitTests,
  'tests/integration/mirror.test.ts',
  'tests/integration/messages-removed.test.ts',
  'tests/integration/status-history.test.ts',
  'tests/integration/attention.test.ts',
];
export const notMutantTests = ['tests/unit/lint-layers.test.ts'];
