// The sync engine: src/main/core/sync.
// MUTATE_QUICK=1 leaves out the integration tests that start a backend or a site over HTTP
// (portfolio-faults, reconcile, stale-hole): on a loaded machine a mutant those tests cover
// took minutes. Scores from a quick run are a lower bound (TESTING.md says which files ran so).
import { engineTests, notMutantTests } from './shared/tests.mjs';

const slow = ['tests/integration/portfolio-faults.test.ts', 'tests/integration/reconcile.test.ts', 'tests/integration/stale-hole.test.ts'];
const quick = process.env.MUTATE_QUICK === '1';
export default {
  mutate: ['src/main/core/sync/**/*.ts'],
  tsconfig: 'tsconfig.stryker-core.json',
  environment: 'node',
  tests: [
    ...engineTests,
    'tests/integration/sync-store-failure.test.ts',
    ...(quick ? [] : slow),
  ],
  exclude: notMutantTests,
};
