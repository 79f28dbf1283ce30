// When the saved accounts connect at start-up (src/main/core/accounts/start-gate.ts): after the
// first inbox page has been answered, or after the grace period when no window asks. The real
// core (createCore: mirror file, dispatch, AccountService); the connectors are fakes that record
// when they are asked to connect, and time is FakeTimers, so nothing here waits for the clock.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { FakeConnector } from '../support/fake-connector';
import { FakeTimers } from '../support/fake-timers';
import { migrationsDir, tempDir } from '../support/temp-db';

const GRACE_MS = 3000;
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Lets every promise chain that needs no I/O run to its end (the core's start up to its wait). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function startCore(accounts: string[], accountsGraceMs: number | null = GRACE_MS) {
  const t = tempDir('switchboard-start-order-');
  cleanups.push(() => t.cleanup());
  const order: string[] = [];
  const timers = new FakeTimers(Date.now());
  const secrets = new PlainFileSecretStore(join(t.dir, 'secrets.json'));
  const core: Core = createCore({
    dataDir: t.dir,
    migrationsDir,
    settings: new JsonFileSettingsStore(join(t.dir, 'settings.json')),
    secrets,
    mode: 'web',
    version: 'test',
    timers,
    ...(accountsGraceMs === null ? {} : { accountsGraceMs }),
    connectorFactory: (account) => {
      const connector = new FakeConnector();
      connector.connect = async (sink) => {
        connector.sink = sink;
        order.push(`connect ${account.name}`);
      };
      return connector;
    },
  });
  cleanups.push(() => core.close());
  for (const name of accounts) {
    const account = core.mirror.accounts.create({ kind: 'portfolio', name, baseUrl: `https://${name}.example`, config: {} }, Date.now());
    // A saved sign-in (the vault's key), so the account connects rather than asking to sign in.
    secrets.set(`account:${account.id}:credentials`, JSON.stringify({ token: `token-${name}` }));
  }
  const page = async () => {
    const result = await core.dispatch('conversations.page', { filter: 'active', limit: 100 });
    expect(result.ok).toBe(true);
    order.push('page answered');
  };
  return { core, order, timers, page };
}

describe('the saved accounts connect after the first inbox page', () => {
  it('answers the first page before any account connects, then connects them all on the next turn', async () => {
    const { core, order, timers, page } = startCore(['alpha', 'beta', 'gamma']);
    const started = core.start();
    await settle();
    expect(order).toEqual([]);

    await page();
    await settle();
    expect(order).toEqual(['page answered']);
    // The next turn of the event loop, not the grace period, lets them connect.
    timers.advance(0);
    await started;
    expect(order).toEqual(['page answered', 'connect alpha', 'connect beta', 'connect gamma']);

    // Later pages change nothing: every account connected once.
    timers.advance(GRACE_MS);
    await page();
    timers.advance(GRACE_MS);
    await settle();
    expect(order.filter((o) => o.startsWith('connect'))).toHaveLength(3);
  });

  it('a page answered before start() was called lets the accounts connect on the next turn too', async () => {
    const { core, order, timers, page } = startCore(['alpha']);
    await page();
    const started = core.start();
    await settle();
    expect(order).toEqual(['page answered']);
    timers.advance(0);
    await started;
    expect(order).toEqual(['page answered', 'connect alpha']);
  });

  it("a notification feed's first page (feed.page) opens the way too; other calls do not", async () => {
    const { core, order, timers } = startCore(['alpha']);
    const started = core.start();
    await settle();
    expect((await core.dispatch('accounts.list', undefined)).ok).toBe(true);
    expect((await core.dispatch('settings.get', undefined)).ok).toBe(true);
    timers.advance(0);
    await settle();
    expect(order).toEqual([]);
    expect((await core.dispatch('feed.page', { limit: 50 })).ok).toBe(true);
    timers.advance(0);
    await started;
    expect(order).toEqual(['connect alpha']);
  });

  it('with no window asking (a tray-only start) the accounts connect once the grace period is over', async () => {
    const { core, order, timers } = startCore(['alpha', 'beta']);
    const started = core.start();
    await settle();
    timers.advance(GRACE_MS - 1);
    await settle();
    expect(order).toEqual([]);
    timers.advance(1);
    await started;
    expect(order).toEqual(['connect alpha', 'connect beta']);
    const accounts = await core.dispatch('accounts.list', undefined);
    expect(accounts.ok && (accounts.value as { connectionState: string }[]).map((a) => a.connectionState)).toEqual(['connecting', 'connecting']);
  });

  it('closing the core during the wait connects nothing and ends the start', async () => {
    const { core, order, timers } = startCore(['alpha']);
    const started = core.start();
    await settle();
    await core.close();
    await started;
    timers.advance(GRACE_MS);
    await settle();
    expect(order).toEqual([]);
    expect(timers.count).toBe(0);
  });

  it('with no saved account, and without a grace period, start() does not wait', async () => {
    const empty = startCore([]);
    await empty.core.start();
    expect(empty.timers.count).toBe(0);

    const direct = startCore(['alpha'], null);
    await direct.core.start();
    expect(direct.order).toEqual(['connect alpha']);
  });
});
