// The core host through its transport: the real host entry (src/main/core-host/index.ts) in a
// child process started with child_process.fork, which stands in for Electron's utilityProcess
// (Electron cannot run here; tests/e2e/app.electron.spec.ts covers the real one where it can).
// Same host code, same messages; only the port differs (process.send instead of parentPort).
// A real SQLite file, the real reference portfolio backend, a real visitor over HTTP.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreHostClient } from '../../src/main/core-host/client';
import { forkCoreHost } from '../../src/main/core-host/ports';
import type { HostConfig, HostExit } from '../../src/main/core-host/protocol';
import { CoreSupervisor } from '../../src/main/core-host/supervisor';
import { startDeployedBackend } from '../../backends/portfolio/src/index';
import { DATABASE_FILE } from '../../src/main/core/core';
import { ConsoleError } from '../../src/shared/errors';
import type { EventName } from '../../src/shared/contract';
import { Visitor, startTestBackend, waitFor, type TestBackend } from '../support/portfolio-harness';
import { migrationsDir, tempDir } from '../support/temp-db';

const root = resolve(__dirname, '../..');
const entry = join(root, 'src/main/core-host/index.ts');
// What `electron-vite build` makes of it (present after any build; CI builds before the e2e suite).
const builtEntry = join(root, 'out/main/core-host.js');
const quiet = !process.env.SWITCHBOARD_TEST_LOG;
/** Node's own better-sqlite3 addon, given explicitly as the app gives the Electron build. */
const addon = join(dirname(createRequire(__filename).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function spawnHost(built = false) {
  const forked = forkCoreHost(built ? { entry: builtEntry, stdio: quiet ? 'ignore' : 'inherit' } : { entry, execArgv: ['--import', 'tsx'], stdio: quiet ? 'ignore' : 'inherit' });
  cleanups.push(() => {
    if (forked.child.exitCode === null && forked.child.signalCode === null) forked.child.kill('SIGKILL');
  });
  return forked;
}

function hostConfig(dataDir: string, extra: Partial<HostConfig> = {}): HostConfig {
  return {
    mode: 'electron',
    version: 'test',
    dataDir,
    migrationsDir,
    systemLanguage: 'en',
    gnomeDnd: false,
    secrets: { encrypted: true, values: {} },
    ...extra,
  };
}

/** Every event the host pushed, in order. */
function record(events: { subscribe(listener: (name: EventName, payload: unknown) => void): unknown }) {
  const seen: { name: EventName; payload: unknown }[] = [];
  events.subscribe((name, payload) => seen.push({ name, payload }));
  return seen;
}

const isLive = (e: { name: string; payload: unknown }) => e.name === 'connection.state' && (e.payload as { state: string }).state === 'live';

async function value<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function backend(): Promise<TestBackend> {
  const b = await startTestBackend({ seed: false });
  cleanups.push(() => b.close());
  return b;
}

describe('core host in a child process (fork transport)', () => {
  it('drives the contract: accounts.list, connect, a live visitor message arrives as an event, the reply reaches the site', { timeout: 60_000 }, async () => {
    const b = await backend();
    const t = tempDir('switchboard-host-');
    cleanups.push(() => t.cleanup());
    const { port, child } = spawnHost();
    const written = new Map<string, string>();
    const client = new CoreHostClient({ port, secrets: { set: (k, v) => written.set(k, v), delete: (k) => written.delete(k) } });
    cleanups.push(() => client.close());
    const events = record(client.events);

    await client.init(hostConfig(t.dir));
    expect(child.pid).not.toBe(process.pid);
    expect(existsSync(join(t.dir, DATABASE_FILE))).toBe(true);
    expect(await value(client.dispatch('accounts.list', undefined))).toEqual([]);
    expect(await value(client.dispatch('app.info', undefined))).toMatchObject({ mode: 'electron', dataDir: t.dir, secretsEncrypted: true });
    await client.start();

    const account = await value<{ id: number }>(
      client.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: b.apiUrl, email: b.admin.email, password: b.admin.password }),
    );
    await waitFor(() => events.some(isLive), 20_000, 'the account to be live');
    // The secret the core saved went back to the shell (to be encrypted there).
    expect(written.size).toBeGreaterThan(0);
    expect(await value<{ id: number }[]>(client.dispatch('accounts.list', undefined))).toEqual([expect.objectContaining({ id: account.id })]);

    const visitor = await new Visitor(b.apiUrl, 'Host visitor').open();
    await visitor.send('hello through the core host');
    const added = await waitFor(
      () => events.find((e) => e.name === 'messages.added' && (e.payload as { messages: { content: string }[] }).messages.some((m) => m.content === 'hello through the core host')),
      15_000,
      'the live message event',
    );
    const conversationId = (added.payload as { conversationId: number }).conversationId;

    const reply = await value<{ content: string }>(
      client.dispatch('messages.send', { conversationId, content: 'answered from the host', clientId: '00000000-0000-4000-8000-0000000000a1' }),
    );
    expect(reply.content).toBe('answered from the host');
    await waitFor(() => b.api.listAllMessages().some((m) => m.content === 'answered from the host' && m.senderType === 'admin'), 15_000, 'the reply on the site');

    // Errors keep their envelope and code across the process boundary; a bad call is refused before it is sent.
    expect(await client.dispatch('conversations.get', { conversationId: 'not a number' })).toEqual({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('Invalid argument for conversations.get') },
    });
    expect(await client.dispatch('messages.page', { conversationId: 999_999 })).toEqual({ ok: false, error: { code: 'not-found', message: 'Conversation 999999 does not exist.' } });

    // A requested close is not a crash: the host closes the mirror and exits 0.
    const crashes: boolean[] = [];
    client.onExit((_exit, expected) => crashes.push(!expected));
    expect(await client.close()).toEqual({ code: 0, signal: null });
    expect(crashes).toEqual([false]);
  });

  it("asks the shell for the site sign-in window and gets the cookie back (cancelled keeps its code)", { timeout: 60_000 }, async () => {
    const admin = { email: 'owner@example.com', password: 'deployed site password', name: 'Owner' };
    const siteDir = tempDir('switchboard-host-deployed-');
    const s = await startDeployedBackend({ port: 0, pusherPort: 0, dataDir: siteDir.dir, admin, authSecret: 'host-test-secret-0123456789abcdef', autoReplyDelayMs: 0, ai: false });
    cleanups.push(async () => {
      await s.close();
      siteDir.cleanup();
    });
    const t = tempDir('switchboard-host-sign-in-');
    cleanups.push(() => t.cleanup());
    const { port } = spawnHost();
    const asked: { url: string; cookieName: string }[] = [];
    let outcome: 'close' | 'sign in' = 'close';
    // Stands in for the shell's SiteSignInFlow (unit-tested in shell-site-sign-in.test.ts): the site's own form sets the cookie.
    const siteSignIn = async (request: { url: string; cookieName: string }) => {
      asked.push(request);
      if (outcome === 'close') throw new ConsoleError('cancelled', 'The sign-in window was closed before you signed in.');
      const res = await fetch(request.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: admin.email, password: admin.password }).toString(),
        redirect: 'manual',
      });
      return new RegExp(`${request.cookieName}=([^;]+)`).exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
    };
    const client = new CoreHostClient({ port, shellCalls: { siteSignIn } });
    cleanups.push(() => client.close());
    const events = record(client.events);
    await client.init(hostConfig(t.dir, { siteSignIn: true }));
    await client.start();
    const input = { kind: 'portfolio', siteUrl: s.apiUrl, signInWindow: true, pusherKey: s.pusher.key, pusherCluster: s.pusher.cluster, pusherServer: `ws://${s.pusher.host}:${s.pusher.port}` };

    expect(await client.dispatch('accounts.connect', input)).toEqual({ ok: false, error: { code: 'cancelled', message: 'The sign-in window was closed before you signed in.' } });
    expect(asked).toEqual([{ url: `${s.apiUrl}/admin/login`, cookieName: 'admin_session' }]);
    expect(await value(client.dispatch('accounts.list', undefined))).toEqual([]);

    outcome = 'sign in';
    const account = await value<{ id: number }>(client.dispatch('accounts.connect', input));
    await waitFor(() => events.some(isLive), 20_000, 'the account to be live');
    expect(asked).toHaveLength(2);
    expect(await value<{ id: number }[]>(client.dispatch('accounts.list', undefined))).toEqual([expect.objectContaining({ id: account.id })]);
  });

  it('reports a crash of the host: the call in flight and every later one are answered unavailable, nothing hangs', { timeout: 30_000 }, async () => {
    const t = tempDir('switchboard-host-crash-');
    cleanups.push(() => t.cleanup());
    const { port, child } = spawnHost();
    const client = new CoreHostClient({ port });
    await client.init(hostConfig(t.dir));
    const exits: { exit: HostExit; expected: boolean }[] = [];
    client.onExit((exit, expected) => exits.push({ exit, expected }));

    // Stopped, the host cannot answer: the call is surely in flight when it is killed.
    child.kill('SIGSTOP');
    const inFlight = client.dispatch('accounts.list', undefined);
    child.kill('SIGKILL');
    expect(await inFlight).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('signal SIGKILL') } });
    expect(exits).toEqual([{ exit: { code: null, signal: 'SIGKILL' }, expected: false }]);
    expect(client.running).toBe(false);
    expect(await client.dispatch('accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await expect(client.start()).rejects.toThrow(/has stopped/);
  });

  it('a core that cannot open says why instead of hanging', { timeout: 30_000 }, async () => {
    const t = tempDir('switchboard-host-fail-');
    cleanups.push(() => t.cleanup());
    const { port } = spawnHost();
    const client = new CoreHostClient({ port });
    await expect(client.init(hostConfig(t.dir, { migrationsDir: join(t.dir, 'no-migrations-here') }))).rejects.toThrow(/no-migrations-here/);
    await waitFor(() => !client.running, 10_000, 'the failed host to exit');
  });

  it('"Try the demo" runs in the host with the nativeBinding the shell gives; a missing addon is reported', { timeout: 60_000 }, async () => {
    const t = tempDir('switchboard-host-demo-');
    cleanups.push(() => t.cleanup());
    const { port } = spawnHost();
    const client = new CoreHostClient({ port });
    cleanups.push(() => client.close());
    const events = record(client.events);
    await client.init(hostConfig(t.dir, { nativeBinding: addon, demoPublicDir: join(root, 'backends/portfolio/public') }));
    await client.start();
    const demo = await value<{ account: { id: number }; visitorUrl: string }>(client.dispatch('demo.start', undefined));
    expect(demo.visitorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    await waitFor(() => events.some(isLive), 20_000, 'the demo account to be live');
    expect(await value(client.dispatch('demo.status', undefined))).toEqual({ visitorUrl: demo.visitorUrl });
    expect(await client.close()).toEqual({ code: 0, signal: null });

    const t2 = tempDir('switchboard-host-noaddon-');
    cleanups.push(() => t2.cleanup());
    const other = new CoreHostClient({ port: spawnHost().port });
    await expect(other.init(hostConfig(t2.dir, { nativeBinding: join(t2.dir, 'missing.node') }))).rejects.toThrow(/missing\.node/);
  });

  it.skipIf(!existsSync(builtEntry))('the built entry (out/main/core-host.js, no tsx) opens the core and answers', { timeout: 30_000 }, async () => {
    const t = tempDir('switchboard-host-built-');
    cleanups.push(() => t.cleanup());
    const { port } = spawnHost(true);
    const client = new CoreHostClient({ port });
    await client.init(hostConfig(t.dir));
    expect(await value(client.dispatch('app.info', undefined))).toMatchObject({ mode: 'electron', version: 'test' });
    expect(await client.close()).toEqual({ code: 0, signal: null });
  });

  it('the supervisor restarts a crashed host on the same mirror, reconnects the account, and gives up past its budget', { timeout: 90_000 }, async () => {
    const b = await backend();
    const t = tempDir('switchboard-host-restart-');
    cleanups.push(() => t.cleanup());
    const secrets: Record<string, string> = {};
    const children: ReturnType<typeof spawnHost>['child'][] = [];
    const gaveUp: HostExit[] = [];
    const supervisor = new CoreSupervisor({
      spawn: () => {
        const forked = spawnHost();
        children.push(forked.child);
        return forked.port;
      },
      // Read at each start: the restarted host gets the token the first one saved.
      config: () => hostConfig(t.dir, { secrets: { encrypted: true, values: { ...secrets } } }),
      secrets: { set: (k, v) => (secrets[k] = v), delete: (k) => delete secrets[k] },
      log: () => {},
      onGiveUp: (exit) => gaveUp.push(exit),
      maxRestarts: 1,
    });
    cleanups.push(() => supervisor.close());
    const events = record(supervisor.events);
    await supervisor.open();
    await supervisor.startAccounts();
    const account = await value<{ id: number }>(
      supervisor.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: b.apiUrl, email: b.admin.email, password: b.admin.password }),
    );
    await waitFor(() => events.some(isLive), 20_000, 'the account to be live');

    events.length = 0;
    children[0]!.kill('SIGKILL');
    await waitFor(() => children.length === 2, 10_000, 'a second host');
    await waitFor(() => events.some(isLive), 30_000, 'the account live again in the restarted host');
    expect(children[1]!.pid).not.toBe(children[0]!.pid);
    expect(await value<{ id: number }[]>(supervisor.dispatch('accounts.list', undefined))).toEqual([expect.objectContaining({ id: account.id })]);

    // A second crash within the window is past a budget of one restart.
    children[1]!.kill('SIGKILL');
    await waitFor(() => gaveUp.length === 1, 10_000, 'the supervisor to give up');
    expect(gaveUp[0]).toEqual({ code: null, signal: 'SIGKILL' });
    expect(children).toHaveLength(2);
    expect(await supervisor.dispatch('accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
