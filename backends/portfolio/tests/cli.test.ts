// `npm run backend -- --seed-demo --simulate 3` as a process: banner, demo data, live simulator,
// an admin pusher-js client joining, and a clean shutdown.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import PusherJS from 'pusher-js';
import { DEMO_ADMIN } from '../src/index';
import { nextEvent, subscribed } from './helpers';

const ROOT = resolve(__dirname, '../../..');
// tsx as a loader in the process itself: the tsx CLI relays a signal to its child and, when the
// child does not answer within 30 ms (a loaded machine), kills it and exits 143.
const TSX = ['--import', 'tsx'];
const CLI = join(ROOT, 'backends/portfolio/src/cli.ts');

const procs: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}): Promise<{ proc: ChildProcessWithoutNullStreams; banner: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'portfolio-cli-'));
  dirs.push(dir);
  const proc = spawn(process.execPath, [...TSX, CLI, '--port', '0', '--pusher-port', '0', '--data', dir, ...args], {
    cwd: ROOT,
    env: { ...process.env, ADMIN_EMAIL: '', ADMIN_PASSWORD: '', ...env },
  });
  procs.push(proc);
  return new Promise((res, rej) => {
    let out = '';
    let err = '';
    const t = setTimeout(() => rej(new Error(`no banner: ${out} ${err}`)), 20_000);
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/Admin:.*\n/.test(out) && (!args.includes('--simulate') || /Simulator:.*\n/.test(out))) {
        clearTimeout(t);
        res({ proc, banner: out });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(t);
      rej(new Error(`exited ${code}: ${out} ${err}`));
    });
  });
}

function field(banner: string, re: RegExp): string {
  const m = re.exec(banner);
  if (!m?.[1]) throw new Error(`missing ${re} in ${banner}`);
  return m[1];
}

function exitCode(proc: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((r) => (proc.exitCode !== null ? r(proc.exitCode) : proc.on('exit', (code) => r(code))));
}

describe('npm run backend', () => {
  it('--seed-demo --simulate 3 prints the URLs and runs a live chat an admin can join', async () => {
    const { proc, banner } = await start(['--seed-demo', '--simulate', '3']);
    const apiUrl = field(banner, /API URL:\s+(\S+)/);
    expect(field(banner, /Visitor page:\s+(\S+)/)).toBe(`${apiUrl}/`);
    const port = Number(field(banner, /Pusher:\s+host \S+ port (\d+)/));
    const key = field(banner, /key (\S+)/);
    expect(banner).toContain(`${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);

    const page = await (await fetch(`${apiUrl}/`)).text();
    expect(page).toContain('aria-label="Open chat"');

    const login = (await (
      await fetch(`${apiUrl}/api/admin/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }),
      })
    ).json()) as { data: { token: string } };
    const token = login.data.token;
    const list = (await (await fetch(`${apiUrl}/api/chat/conversations?limit=100`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      data: { conversations: { status: string; lastMessage: unknown }[] };
    };
    const statuses = new Set(list.data.conversations.map((c) => c.status));
    expect([...statuses].sort()).toEqual(['active', 'closed', 'resolved']);
    expect(list.data.conversations.every((c) => c.lastMessage !== null)).toBe(true);

    const admin = new PusherJS(key, {
      cluster: 'mt1',
      wsHost: '127.0.0.1',
      wsPort: port,
      wssPort: port,
      forceTLS: false,
      enabledTransports: ['ws'],
      disableStats: true,
      channelAuthorization: { endpoint: `${apiUrl}/api/pusher/auth`, transport: 'ajax', headers: { Authorization: `Bearer ${token}` } },
    });
    try {
      const notifications = await subscribed(admin, 'private-admin-notifications');
      const alert = await nextEvent<{ conversationId: number; senderType: string }>(notifications, 'new-message-alert', 20_000);
      expect(alert.senderType).toBe('visitor');
    } finally {
      admin.disconnect();
    }

    proc.kill('SIGTERM');
    expect(await exitCode(proc)).toBe(0);
  });

  it('takes the admin from ADMIN_EMAIL / ADMIN_PASSWORD', async () => {
    const { proc, banner } = await start(['--seed-demo'], { ADMIN_EMAIL: 'me@example.com', ADMIN_PASSWORD: 'from-the-env' });
    const apiUrl = field(banner, /API URL:\s+(\S+)/);
    expect(banner).not.toContain(DEMO_ADMIN.password);
    const login = (email: string, password: string): Promise<Response> =>
      fetch(`${apiUrl}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect((await login('me@example.com', 'from-the-env')).status).toBe(200);
    expect((await login(DEMO_ADMIN.email, DEMO_ADMIN.password)).status).toBe(401);
    proc.kill('SIGTERM');
    expect(await exitCode(proc)).toBe(0);
  });

  it('rejects unknown flags', async () => {
    const proc = spawn(process.execPath, [...TSX, CLI, '--bogus'], { cwd: ROOT });
    procs.push(proc);
    expect(await exitCode(proc)).toBe(2);
  });
});
