// The accounts' start order through the core host (the Electron arrangement): the real host entry
// in a forked child process, a real SQLite profile with a saved account of the real reference
// portfolio backend. The window's first inbox page is answered before the account connects; with
// no window asking, the account connects after the grace period (HostConfig.accountsGraceMs).
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreHostClient } from '../../src/main/core-host/client';
import { forkCoreHost } from '../../src/main/core-host/ports';
import type { ChildPort, HostConfig } from '../../src/main/core-host/protocol';
import { startTestBackend, waitFor } from '../support/portfolio-harness';
import { migrationsDir, tempDir } from '../support/temp-db';

const entry = join(resolve(__dirname, '../..'), 'src/main/core-host/index.ts');
const quiet = !process.env.SWITCHBOARD_TEST_LOG;
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function host(dataDir: string, secrets: Record<string, string>, accountsGraceMs: number) {
  const forked = forkCoreHost({ entry, execArgv: ['--import', 'tsx'], stdio: quiet ? 'ignore' : 'inherit' });
  cleanups.push(() => {
    if (forked.child.exitCode === null && forked.child.signalCode === null) forked.child.kill('SIGKILL');
  });
  // The frames in the order the host sent them, seen before the client handles each one.
  const seen: string[] = [];
  const port: ChildPort = {
    ...forked.port,
    onMessage: (listener) =>
      forked.port.onMessage((raw) => {
        const frame = raw as { type?: string; name?: string; payload?: { state?: string }; value?: unknown };
        if (frame.type === 'event' && frame.name === 'connection.state') seen.push(`account ${frame.payload?.state}`);
        if (frame.type === 'result' && (frame.value as { counts?: unknown } | undefined)?.counts) seen.push('page answered');
        listener(raw);
      }),
  };
  const client = new CoreHostClient({ port, secrets: { set: (k, v) => (secrets[k] = v), delete: (k) => delete secrets[k] } });
  cleanups.push(() => client.close());
  const config: HostConfig = { mode: 'electron', version: 'test', dataDir, migrationsDir, systemLanguage: 'en', gnomeDnd: false, secrets: { encrypted: true, values: { ...secrets } }, accountsGraceMs };
  return { client, seen, init: () => client.init(config) };
}

describe('core host: the saved accounts connect after the first inbox page', () => {
  it('answers the first page before the saved account connects; with no window it connects after the grace period', { timeout: 90_000 }, async () => {
    const b = await startTestBackend({ seed: false });
    cleanups.push(() => b.close());
    const t = tempDir('switchboard-host-start-order-');
    cleanups.push(() => t.cleanup());
    const secrets: Record<string, string> = {};

    const setup = host(t.dir, secrets, 0);
    await setup.init();
    await setup.client.start();
    const connected = await setup.client.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: b.apiUrl, email: b.admin.email, password: b.admin.password });
    expect(connected.ok).toBe(true);
    await waitFor(() => setup.seen.includes('account live'), 20_000, 'the account to be live');
    await setup.client.close();

    // A window: its first page comes well inside the (long) grace period and goes first.
    const windowed = host(t.dir, secrets, 60_000);
    await windowed.init();
    const started = windowed.client.start();
    const page = await windowed.client.dispatch('conversations.page', { filter: 'active', limit: 100 });
    expect(page.ok).toBe(true);
    await started;
    await waitFor(() => windowed.seen.includes('account live'), 20_000, 'the account to be live');
    expect(windowed.seen[0]).toBe('page answered');
    await windowed.client.close();

    // No window (a tray-only start): nothing asks for a page, the grace period lets it connect.
    const trayOnly = host(t.dir, secrets, 200);
    await trayOnly.init();
    await trayOnly.client.start();
    await waitFor(() => trayOnly.seen.includes('account live'), 20_000, 'the account to be live without a window');
  });
});
