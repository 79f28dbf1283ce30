import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download cannot run here.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // A spec file per worker: each starts its own core and backends on free ports and its own
  // profile. Two on CI's two cores: 5.5 min with one worker, 3.3 min with two.
  workers: 2,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'off',
  },
  projects: [
    { name: 'console-web', testDir: 'tests/e2e', testMatch: /.*\.web\.spec\.ts/ },
    { name: 'console-electron', testDir: 'tests/e2e', testMatch: /.*\.electron\.spec\.ts/ },
    { name: 'backend', testDir: 'backends', testMatch: /.*\.e2e\.spec\.ts/ },
  ],
});
