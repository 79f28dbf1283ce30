// The sync engine: src/main/core/sync.
export default {
  mutate: ['src/main/core/sync/**/*.ts'],
  environment: 'node',
  tests: [
    'tests/unit/**/*.test.ts',
    'tests/integration/mirror.test.ts',
    'tests/integration/messages-removed.test.ts',
    'tests/integration/status-history.test.ts',
    'tests/integration/attention.test.ts',
    'tests/integration/portfolio-faults.test.ts',
    'tests/integration/reconcile.test.ts',
    'tests/integration/stale-hole.test.ts',
    'tests/integration/sync-store-failure.test.ts',
  ],
  exclude: ['tests/unit/lint-layers.test.ts'],
};
