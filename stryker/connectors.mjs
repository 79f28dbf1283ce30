// The backend kinds: src/main/core/connectors.
export default {
  mutate: ['src/main/core/connectors/**/*.ts'],
  environment: 'node',
  tests: [
    'tests/unit/**/*.test.ts',
    'tests/integration/portfolio-faults.test.ts',
    // A loopback node:http server in the test's own process; under a second in all.
    'tests/integration/rest-limits.test.ts',
  ],
  exclude: ['tests/unit/lint-layers.test.ts'],
};
