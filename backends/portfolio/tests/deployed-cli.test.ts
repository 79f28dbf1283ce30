// `npm run backend -- --as-deployed` as a process: the banner with the site's configuration and
// its defaults, sign-in through the form, the demo data, live simulated visitors answered by the
// AI, --no-ai, and a clean shutdown.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import PusherJS from 'pusher-js';
import { DEPLOYED_DEMO_ADMIN } from '../src/index';
import { nextEvent, subscribed } from './helpers';

const ROOT = resolve(__dirname, '../../..');
// tsx as a loader in the process itself: the tsx CLI relays a signal to its child and, when the
// child does not answer within 30 ms (a loaded machine), kills it and exits 143.
const TSX = ['--import', 'tsx'];
const CLI = join(ROOT, 'backends/portfolio/src/cli.ts');
const running: ChildProcessWithoutNullStreams[] = [];
const tmp: string[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  for (const d of tmp.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Spawns the CLI on free ports and resolves with its banner once the last line is printed. */
function launch(args: string[], env: Record<string, string> = {}): Promise<{ proc: ChildProcessWithoutNullStreams; banner: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'portfolio-deployed-cli-'));
  tmp.push(dir);
  const proc = spawn(process.execPath, [...TSX, CLI, '--as-deployed', '--port', '0', '--pusher-port', '0', '--data', dir, ...args], {
    cwd: ROOT,
    env: { ...process.env, ADMIN_EMAIL: '', ADMIN_PASSWORD: '', AUTH_SECRET: '', PUSHER_KEY: '', PUSHER_CLUSTER: '', ...env },
  });
  running.push(proc);
  const last = args.includes('--simulate') ? /Simulator:.*\n/ : /AI replies:.*\n/;
  return new Promise((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error(`no banner: ${out}`)), 20_000);
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (last.test(out)) {
        clearTimeout(t);
        res({ proc, banner: out });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(t);
      rej(new Error(`exited ${code}: ${out}`));
    });
  });
}

const grab = (banner: string, re: RegExp): string => re.exec(banner)?.[1] ?? '';
const exited = (proc: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((r) => (proc.exitCode !== null ? r(proc.exitCode) : proc.on('exit', (code) => r(code))));

async function formLogin(siteUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${siteUrl}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return /admin_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
}

describe('npm run backend -- --as-deployed', () => {
  it('--seed-demo --simulate 2: prints the configuration, signs in by form, and simulated visitors get AI replies', async () => {
    const { proc, banner } = await launch(['--seed-demo', '--simulate', '2'], { AUTH_SECRET: 'from-the-environment-0123456789', PUSHER_KEY: 'site-key', PUSHER_CLUSTER: 'ap1' });
    const siteUrl = grab(banner, /Site URL:\s+(\S+)/);
    expect(grab(banner, /Admin login:\s+(\S+)/)).toBe(`${siteUrl}/admin/login`);
    expect(banner).toContain('AUTH_SECRET:  from-the-environment-0123456789 (from AUTH_SECRET)');
    expect(banner).toMatch(/PUSHER_KEY\s+site-key \(from PUSHER_KEY\)/);
    expect(banner).toMatch(/PUSHER_CLUSTER ap1 \(from PUSHER_CLUSTER\)/);
    expect(banner).toMatch(/PUSHER_APP_ID portfolio \(default: portfolio/);
    expect(banner).toContain(`${DEPLOYED_DEMO_ADMIN.email} / ${DEPLOYED_DEMO_ADMIN.password}`);
    const pusherPort = Number(grab(banner, /Pusher server: this machine, host \S+ port (\d+)/));

    const cookie = await formLogin(siteUrl, DEPLOYED_DEMO_ADMIN.email, DEPLOYED_DEMO_ADMIN.password);
    const statuses: Record<string, number> = {};
    for (const s of ['active', 'resolved', 'closed']) {
      const r = (await (await fetch(`${siteUrl}/api/chat/conversations?status=${s}`, { headers: { Cookie: `admin_session=${cookie}` } })).json()) as { data: unknown[] };
      statuses[s] = r.data.length;
    }
    expect(statuses.resolved).toBe(1);
    expect(statuses.closed).toBe(1);
    expect(statuses.active).toBeGreaterThanOrEqual(2);
    expect(await (await fetch(`${siteUrl}/`)).text()).toContain('"pusherKey":"site-key","pusherCluster":"ap1"');

    const admin = new PusherJS('site-key', {
      cluster: 'ap1',
      wsHost: '127.0.0.1',
      wsPort: pusherPort,
      wssPort: pusherPort,
      forceTLS: false,
      enabledTransports: ['ws'],
      disableStats: true,
      channelAuthorization: {
        endpoint: `${siteUrl}/api/pusher/auth`,
        transport: 'ajax',
        customHandler: (params, cb) => {
          fetch(`${siteUrl}/api/pusher/auth`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `admin_session=${cookie}` },
            body: new URLSearchParams({ socket_id: params.socketId, channel_name: params.channelName }).toString(),
          })
            .then(async (r) => cb(null, (await r.json()) as { auth: string }))
            .catch((e: unknown) => cb(e as Error, null));
        },
      },
    });
    try {
      const notifications = await subscribed(admin, 'private-admin-notifications');
      // The simulated visitors write again every few seconds: each message announces itself here.
      const updated = await nextEvent<{ conversationId: number }>(notifications, 'conversation-updated', 30_000);
      const conv = await subscribed(admin, `private-conversation-${updated.conversationId}`);
      // Every visitor message is answered by the AI; the visitor writes again within seconds.
      const ai = await new Promise<{ senderType: string }>((res, rej) => {
        const t = setTimeout(() => rej(new Error('no ai reply')), 40_000);
        conv.bind('new-message', (m: { senderType: string }) => {
          if (m.senderType !== 'ai') return;
          clearTimeout(t);
          res(m);
        });
      });
      expect(ai.senderType).toBe('ai');
    } finally {
      admin.disconnect();
    }
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });

  it('--no-ai: prints the defaults and creates the AI settings switched off', async () => {
    const { proc, banner } = await launch(['--no-ai'], { ADMIN_EMAIL: 'me@example.com', ADMIN_PASSWORD: 'from-the-env' });
    expect(banner).toMatch(/AUTH_SECRET:\s+\S+ \(default: generated, kept in the database/);
    expect(banner).toMatch(/PUSHER_KEY\s+portfolio-key \(default/);
    expect(banner).toMatch(/PUSHER_CLUSTER mt1 \(default/);
    expect(banner).toContain('AI replies:   created off (--no-ai)');
    expect(banner).toContain('me@example.com, user id 1 (from ADMIN_EMAIL / ADMIN_PASSWORD)');
    const siteUrl = grab(banner, /Site URL:\s+(\S+)/);
    const cookie = await formLogin(siteUrl, 'me@example.com', 'from-the-env');
    const settings = (await (await fetch(`${siteUrl}/api/chat/settings`, { headers: { Cookie: `admin_session=${cookie}` } })).json()) as { data: { aiEnabled: boolean } };
    expect(settings.data.aiEnabled).toBe(false);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });

  it('refuses --no-ai without --as-deployed', async () => {
    const proc = spawn(process.execPath, [...TSX, CLI, '--no-ai'], { cwd: ROOT });
    running.push(proc);
    expect(await exited(proc)).toBe(2);
  });
});
