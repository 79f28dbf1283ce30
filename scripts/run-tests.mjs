// `npm test`: unit and integration tests (vitest), the Django reference backend's own Python tests
// (`manage.py test`), then a build and the end-to-end tests (Playwright in Debian's Chromium).
// Prints one closing line with the combined counts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reports = mkdtempSync(join(tmpdir(), 'switchboard-tests-'));
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
const bin = (name) => join('node_modules', '.bin', name);

const vitestJson = join(reports, 'vitest.json');
const unit = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const djangoJson = join(reports, 'django.json');
const django = run(bin('tsx'), ['backends/django/launcher/python-tests.ts', '--json', djangoJson]);
const build = run(bin('electron-vite'), ['build']);
const playwrightJson = join(reports, 'playwright.json');
const e2e = build === 0 ? run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson }) : 1;

const counts = { passed: 0, failed: 0, skipped: 0 };
try {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  counts.passed += v.numPassedTests;
  counts.failed += v.numFailedTests;
  counts.skipped += v.numPendingTests + v.numTodoTests;
} catch {
  counts.failed += 1;
}
try {
  const d = JSON.parse(readFileSync(djangoJson, 'utf8'));
  counts.passed += d.passed;
  counts.failed += d.failed;
  counts.skipped += d.skipped;
} catch {
  counts.failed += 1;
}
try {
  const p = JSON.parse(readFileSync(playwrightJson, 'utf8')).stats;
  counts.passed += p.expected + p.flaky;
  counts.failed += p.unexpected;
  counts.skipped += p.skipped;
} catch {
  if (build === 0) counts.failed += 1;
}
if (build !== 0) console.error('electron-vite build failed; end-to-end tests did not run.');
console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(unit === 0 && django === 0 && build === 0 && e2e === 0 && counts.failed === 0 ? 0 : 1);
