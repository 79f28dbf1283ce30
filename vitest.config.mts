import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker per core less one: a single worker on CI's two cores, where
    // the integration tests spend much of their time waiting on reference backends (measured on
    // this machine: 715 s in a CI run with one worker, 505 s with two).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'backends/**/tests/**/*.test.ts'],
        },
      },
      {
        // The inbox's components with Testing Library in happy-dom, against a fake ConsoleApi.
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['tests/renderer/support/setup.ts'],
        },
      },
    ],
  },
});
