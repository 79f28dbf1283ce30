// `npm run backend:jwt-ws -- --port 0 --seed-demo --simulate N` as a process: one ready line with
// the owner's credentials, the demo rooms, live simulated users, a clean SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_GROUP_HISTORY, DEMO_OWNER } from '../src/index';
import { FrameSocket, api } from './helpers';

const ROOT = resolve(__dirname, '../../..');
// tsx as a loader in the process itself: the tsx CLI relays a signal to its child and, when the
// child does not answer within 30 ms (a loaded machine), kills it and exits 143.
const TSX = ['--import', 'tsx'];
const CLI = join(ROOT, 'backends/jwt-ws/src/cli.ts');

const procs: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}): Promise<{ proc: ChildProcessWithoutNullStreams; out: () => string; line: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-ws-cli-'));
  dirs.push(dir);
  const proc = spawn(process.execPath, [...TSX, CLI, '--port', '0', '--data', dir, ...args], { cwd: ROOT, env: { ...process.env, OWNER_EMAIL: '', OWNER_PASSWORD: '', ...env } });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no ready line: ${out} ${err}`)), 20_000);
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = /^jwt-ws ready .*$/m.exec(out)?.[0];
      if (line) {
        clearTimeout(t);
        res({ proc, out: () => out, line });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(t);
      rej(new Error(`exited ${code}: ${out} ${err}`));
    });
  });
}

const exitCode = (p: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((r) => (p.exitCode !== null ? r(p.exitCode) : p.on('exit', (code) => r(code))));

describe('npm run backend:jwt-ws', () => {
  it('--seed-demo --simulate 2 prints one ready line; the owner signs in and sees demo rooms and live members', async () => {
    const { proc, line, out } = await start(['--seed-demo', '--simulate', '2', '--access-ttl', '60']);
    const url = /url=(\S+)/.exec(line)?.[1] ?? '';
    expect(/ws=(\S+)/.exec(line)?.[1]).toBe(`${url.replace('http', 'ws')}/ws`);
    expect(line).toContain(`owner=${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
    expect(line).toContain('simulate=2');

    const c = api(url);
    const owner = await c.login(DEMO_OWNER.email, DEMO_OWNER.password);
    expect(new Date(owner.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    const rooms = (await c.call<{ id: string; name: string; type: string }[]>('GET', '/api/v1/rooms/my-chats', { token: owner.token })).body.data;
    expect(new Set(rooms.map((r) => r.type))).toEqual(new Set(['direct', 'group', 'public', 'broadcast']));
    const team = rooms.find((r) => r.name === 'Support team');
    const h = await c.call('GET', `/api/v1/rooms/${team?.id}/messages?limit=50`, { token: owner.token });
    expect(h.body.meta?.total).toBe(DEMO_GROUP_HISTORY);
    expect(rooms.filter((r) => r.type === 'direct').length).toBe(4);

    const sock = await FrameSocket.connect(url.replace('http', 'ws') + '/ws', owner.token);
    await sock.next('message');
    sock.close();
    expect(out().trim().split('\n')).toEqual([line]);

    proc.kill('SIGTERM');
    expect(await exitCode(proc)).toBe(0);
  });

  it('takes the owner from OWNER_EMAIL / OWNER_PASSWORD without printing the password', async () => {
    const { proc, line } = await start([], { OWNER_EMAIL: 'me@example.com', OWNER_PASSWORD: 'from-the-env-123' });
    expect(line).toContain('owner=me@example.com (password from OWNER_PASSWORD)');
    expect(line).not.toContain('from-the-env-123');
    const url = /url=(\S+)/.exec(line)?.[1] ?? '';
    await api(url).login('me@example.com', 'from-the-env-123');
    proc.kill('SIGTERM');
    expect(await exitCode(proc)).toBe(0);
  });

  it.each([[['--bogus']], [['--simulate', '2']], [['--port', 'x']]])('exits 2 on %j', async (args) => {
    const proc = spawn(process.execPath, [...TSX, CLI, ...args], { cwd: ROOT, env: { ...process.env, OWNER_EMAIL: '', OWNER_PASSWORD: '' } });
    procs.push(proc as ChildProcessWithoutNullStreams);
    expect(await exitCode(proc as ChildProcessWithoutNullStreams)).toBe(2);
  });
});
