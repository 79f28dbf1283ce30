// The backend's own Python tests (`manage.py test`), run from `npm test` so CI runs them.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MANAGE_PY, OPENMANUS_DIR, pythonCommand } from '../python';

describe('openmanus backend: python3 manage.py test', () => {
  it('passes (script, REST + auth, WebSocket consumer)', () => {
    const run = spawnSync(pythonCommand(), [MANAGE_PY, 'test', 'chat', '--noinput'], {
      cwd: OPENMANUS_DIR,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (run.error) throw new Error(`cannot run ${pythonCommand()} (Debian's python3-django etc. are needed): ${run.error.message}`);
    expect(output, output).toMatch(/^OK/m);
    expect(run.status, output).toBe(0);
    const ran = /Ran (\d+) tests/.exec(output);
    expect(Number(ran?.[1] ?? 0), output).toBeGreaterThanOrEqual(20);
  }, 120_000);
});
