// The local mirror: src/main/core/mirror.
export default {
  mutate: ['src/main/core/mirror/**/*.ts'],
  environment: 'node',
  tests: [
    'tests/unit/**/*.test.ts',
    'tests/integration/mirror.test.ts',
    'tests/integration/messages-removed.test.ts',
    'tests/integration/status-history.test.ts',
    'tests/integration/attention.test.ts',
    'tests/integration/message-index.test.ts',
    'tests/integration/mirror-recovery.test.ts',
  ],
  exclude: ['tests/unit/lint-layers.test.ts'],
};
