// `npm run test:django`: Django's own test runner (`manage.py test`) over backends/django, with
// the counts written as JSON ({passed, failed, skipped}) to the file named by --json, so
// scripts/run-tests.mjs can add them to the closing line of `npm test`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DJANGO_DIR } from './backend';
import { findPython } from './python';

export interface PythonTestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Parses unittest's summary ("Ran N tests", "OK (skipped=1)", "FAILED (failures=1, errors=2)"). */
export function parseUnittestSummary(output: string): PythonTestCounts | null {
  const ran = /^Ran (\d+) tests? in /m.exec(output);
  const verdict = /^(OK|FAILED)(?: \(([^)]*)\))?\s*$/m.exec(output);
  if (!ran || !verdict) return null;
  const detail = Object.fromEntries(
    (verdict[2] ?? '')
      .split(',')
      .map((kv) => kv.trim().split('='))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k, Number(v)]),
  ) as Record<string, number>;
  const failed = (detail.failures ?? 0) + (detail.errors ?? 0) + (detail['unexpected successes'] ?? 0);
  const skipped = (detail.skipped ?? 0) + (detail['expected failures'] ?? 0);
  return { passed: Number(ran[1]) - failed - skipped, failed, skipped };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'string' } }, strict: true });
  const child = spawn(findPython(), ['manage.py', 'test', '--noinput'], {
    cwd: DJANGO_DIR,
    env: { ...process.env, PYTHONUNBUFFERED: '1', DJANGO_DB_PATH: '' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    process.stderr.write(c);
  });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  const counts = parseUnittestSummary(err) ?? { passed: 0, failed: 1, skipped: 0 };
  if (values.json) writeFileSync(values.json, JSON.stringify(counts));
  console.log(`Django tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  process.exit(code === 0 && counts.failed === 0 ? 0 : 1);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
