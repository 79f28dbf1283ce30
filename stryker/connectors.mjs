// The backend kinds: src/main/core/connectors.
import { notMutantTests, unitTests } from './shared/tests.mjs';

export default {
  mutate: ['src/main/core/connectors/**/*.ts'],
  tsconfig: 'tsconfig.stryker-core.json',
  environment: 'node',
  tests: [
    unitTests,
    'tests/integration/portfolio-faults.test.ts',
    // A loopback node:http server in the test's own process; under a second in all.
    'tests/integration/rest-limits.test.ts',
  ],
  exclude: notMutantTests,
};
