// The renderer's hooks: src/renderer/src/hooks, through the component tests in happy-dom.
export default {
  mutate: ['src/renderer/src/hooks/**/*.ts'],
  tsconfig: 'tsconfig.stryker.json',
  environment: 'happy-dom',
  tests: ['tests/renderer/**/*.test.{ts,tsx}'],
  exclude: [],
};
