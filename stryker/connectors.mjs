// The backend kinds: src/main/core/connectors.
export default {
  mutate: ['src/main/core/connectors/**/*.ts'],
  environment: 'node',
  tests: [
    'tests/unit/**/*.test.ts',
    'tests/integration/portfolio-faults.test.ts',
  ],
  exclude: ['tests/unit/lint-layers.test.ts'],
};
