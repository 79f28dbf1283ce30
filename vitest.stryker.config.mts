// The tests `npm run mutate` runs against each mutant. Left out, to keep a full run near the
// 45-minute budget on this machine: portfolio-sync*.test.ts (each mutant they cover cost ~25 s
// with them), tests whose core runs in a child process (Stryker cannot see what they cover), the
// bench smoke test, the lint run, and the backends' own tests (they do not import the console's code).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

export default defineConfig({
  test: {
    ...base.test,
    // Seconds, not minutes, per mutant: the unit tests, and the integration tests that run in one
    // process against a real SQLite file or the reference backend with its faults.
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/mirror.test.ts',
      'tests/integration/messages-removed.test.ts',
      'tests/integration/status-history.test.ts',
      'tests/integration/attention.test.ts',
      'tests/integration/portfolio-faults.test.ts',
    ],
    exclude: ['tests/unit/lint-layers.test.ts'],
  },
});
