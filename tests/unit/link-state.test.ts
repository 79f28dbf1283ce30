// LinkState (src/main/core/sync/link-state.ts) through AccountSync and a fake connector: the state
// and detail the UI is shown as the link changes, what each publish carries, and the first reason
// to sign in again kept. Written for the survivors of `npm run mutate` (TESTING.md, session 5).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeConnector } from '../support/fake-server-connector';
import { SyncEngineFixture, named } from '../support/sync-engine';

describe('LinkState', () => {
  let f: SyncEngineFixture;
  beforeEach(() => {
    f = new SyncEngineFixture();
  });
  afterEach(() => f.close());

  it('offline while the connector says so, and while stopping; a connected link clears the old detail but is not live before a catch-up', async () => {
    const connector = new FakeConnector();
    const e = await f.started(connector);
    const sink = connector.sink!;
    sink.link('connected'); // connected again, nothing missed: still live
    expect(e.sync.status).toEqual({ state: 'live', detail: null });
    sink.link('offline', 'network down');
    expect(e.sync.status).toEqual({ state: 'offline', detail: 'network down' });
    sink.link('unavailable', 'socket closed');
    sink.link('connected');
    // Something may have been missed while it was down: syncing until the gap is filled.
    expect(e.sync.status).toEqual({ state: 'syncing', detail: null });
    sink.gap('reconnected');
    await f.live(e, 'live after the gap');
    const held = connector.hold('disconnect');
    const stopping = e.sync.stop();
    await held.reached;
    expect(e.sync.status.state).toBe('offline');
    held.release();
    await stopping;
  });

  it('each state published carries when the account last synced; a mirror that cannot say is logged, and the state still goes out', async () => {
    const connector = new FakeConnector();
    const e = await f.started(connector);
    expect(named(e, 'connection.state').at(-1)).toEqual({ accountId: f.accountId, state: 'live', detail: null, lastSyncedAt: f.timers.now });
    const get = f.ctx.mirror.accounts.get.bind(f.ctx.mirror.accounts);
    f.ctx.mirror.accounts.get = () => {
      throw new Error('database disk image is malformed');
    };
    try {
      connector.sink!.link('unavailable', 'socket closed');
    } finally {
      f.ctx.mirror.accounts.get = get;
    }
    expect(named(e, 'connection.state').at(-1)).toEqual({ accountId: f.accountId, state: 'unavailable', detail: 'socket closed', lastSyncedAt: null });
    expect(e.logs).toContain(`sync ${f.accountId}: could not read the account: database disk image is malformed`);
  });

  it('the first reason to sign in again is kept, and told once', async () => {
    const e = await f.started(new FakeConnector());
    const before = named(e, 'connection.state').length;
    e.sync.markAuthExpired('token expired');
    e.sync.markAuthExpired('second 401');
    expect(e.sync.status).toEqual({ state: 'auth-expired', detail: 'Sign in again: token expired' });
    expect(named(e, 'connection.state')).toHaveLength(before + 1);
  });

  it('paging in circles is logged', async () => {
    const connector = new FakeConnector();
    const real = connector.listConversations.bind(connector);
    connector.listConversations = async (options) => ({ ...(await real(options)), next: '1' });
    const e = await f.started(connector);
    expect(e.logs).toContain(`sync ${f.accountId}: the site answers inconsistently: the conversation list never ends (page 1 brought nothing new); stopped paging`);
  });
});
