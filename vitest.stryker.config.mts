// The tests `npm run mutate` runs against each mutant of one scope (stryker/<scope>.mjs, chosen by
// MUTATE_SCOPE). Only tests that run in one process: Stryker cannot see what a child process covers.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

interface Scope {
  environment: 'node' | 'happy-dom';
  tests: string[];
  exclude: string[];
}

const name = process.env.MUTATE_SCOPE ?? 'sync';
// From the working directory (Stryker's sandbox): vite bundles this file elsewhere before running it.
const scopeFile = pathToFileURL(join(process.cwd(), 'stryker', `${name}.mjs`)).href;
const scope = ((await import(scopeFile)) as { default: Scope }).default;
const renderer = scope.environment === 'happy-dom';

export default defineConfig({
  plugins: renderer ? [react()] : [],
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    include: scope.tests,
    exclude: ['**/node_modules/**', ...scope.exclude],
    environment: scope.environment,
    setupFiles: renderer ? ['tests/renderer/support/setup.ts'] : [],
  },
});
