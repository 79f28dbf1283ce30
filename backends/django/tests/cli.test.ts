// `npm run backend:django -- --port 0 --seed-demo --simulate 2` as a process: exactly one ready
// line, printed credentials that log in, simulated students writing over their socket, clean exit.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteClient } from '../launcher/site-client';
import { parseUnittestSummary } from '../launcher/python-tests';

const ROOT = resolve(__dirname, '../../..');
const procs: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function start(args: string[]): Promise<{ proc: ChildProcessWithoutNullStreams; out: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'backends/django/launcher/cli.ts'), ...args], { cwd: ROOT });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((res, rej) => {
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/^ready \S+$/m.test(out)) res({ proc, out: () => out });
    });
    proc.on('exit', (code) => rej(new Error(`exited ${code}: ${out} ${err}`)));
  });
}

describe('npm run backend:django', () => {
  it('--seed-demo --simulate 2 prints one ready line; the teacher logs in with the printed credentials and sees students write', async () => {
    const { proc, out } = await start(['--port', '0', '--seed-demo', '--simulate', '2']);
    const banner = out();
    const readyLines = banner.split('\n').filter((l) => l.startsWith('ready '));
    expect(readyLines).toHaveLength(1);
    const url = (readyLines[0] ?? '').slice('ready '.length);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const m = /Teacher:\s+(\S+) \/ (\S+)/.exec(banner);
    expect(m).not.toBeNull();
    expect(banner).toMatch(/Simulator: 2 students/);

    const teacher = new SiteClient(url);
    await teacher.login(m?.[1] ?? '', m?.[2] ?? '');
    const list = await teacher.json<{ count: number; results: Array<{ id: number; student_profile: { username: string } }> }>(
      'GET',
      '/en/api/v1/chat/teacher/conversations/',
    );
    expect(list.count).toBeGreaterThanOrEqual(2);
    const first = list.results.find((c) => c.student_profile.username === 'ahmad')!;
    const socket = await teacher.socket(`/ws/chat/conversations/${first.id}/`);
    const frame = await socket.next((f) => f.type === 'new_message', 0, 30_000);
    expect((frame.message as { is_own_message: boolean; content: string }).is_own_message).toBe(false);
    expect((frame.message as { content: string }).content).toMatch(/ahmad #\d+/);
    await socket.close();

    proc.kill('SIGTERM');
    const code = await new Promise((r) => proc.on('exit', (c) => r(c)));
    expect(code).toBe(0);
  }, 60_000);

  it('rejects --simulate without --seed-demo', async () => {
    await expect(start(['--port', '0', '--simulate', '1'])).rejects.toThrow(/exited 2/);
  });
});

describe('parseUnittestSummary', () => {
  it('reads OK, skips and failures', () => {
    expect(parseUnittestSummary('...\nRan 24 tests in 4.1s\n\nOK\n')).toEqual({ passed: 24, failed: 0, skipped: 0 });
    expect(parseUnittestSummary('Ran 10 tests in 1s\n\nOK (skipped=2)\n')).toEqual({ passed: 8, failed: 0, skipped: 2 });
    expect(parseUnittestSummary('Ran 10 tests in 1s\n\nFAILED (failures=1, errors=2)\n')).toEqual({ passed: 7, failed: 3, skipped: 0 });
    expect(parseUnittestSummary('Traceback: ImportError')).toBeNull();
  });
});
