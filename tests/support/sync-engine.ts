// One AccountSync over a FakeConnector (tests/support/fake-server-connector.ts), a real SQLite
// mirror and FakeTimers, recording every event it emits and every line it logs.
import { EventBus } from '../../src/main/core/events';
import { AccountSync, type AccountSyncDeps } from '../../src/main/core/sync/account-sync';
import type { FakeConnector } from './fake-server-connector';
import { FakeTimers } from './fake-timers';
import { waitFor } from './portfolio-harness';
import { openTempMirror } from './temp-db';

export interface RecordingEngine {
  sync: AccountSync;
  connector: FakeConnector;
  events: { name: string; payload: Record<string, unknown> }[];
  logs: string[];
}

export class SyncEngineFixture {
  readonly ctx = openTempMirror();
  readonly timers = new FakeTimers(1_000_000);
  readonly accountId = this.ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, 0).id;
  private readonly engines: RecordingEngine[] = [];

  engine(connector: FakeConnector, extra: Partial<AccountSyncDeps> = {}): RecordingEngine {
    const bus = new EventBus();
    const e: RecordingEngine = { connector, events: [], logs: [], sync: undefined as unknown as AccountSync };
    bus.subscribe((name, payload) => e.events.push({ name, payload: payload as Record<string, unknown> }));
    const { ctx, timers, accountId } = this;
    e.sync = new AccountSync({ accountId, mirror: ctx.mirror, connector, events: bus, clock: () => timers.now, timers, log: (m) => e.logs.push(m), ...extra });
    this.engines.push(e);
    return e;
  }

  async live(e: RecordingEngine, what = 'live'): Promise<void> {
    await waitFor(() => e.sync.status.state === 'live', 5000, `${what} (now ${e.sync.status.state}: ${e.sync.status.detail})`);
  }

  async started(connector: FakeConnector, extra: Partial<AccountSyncDeps> = {}): Promise<RecordingEngine> {
    const e = this.engine(connector, extra);
    await e.sync.start();
    await this.live(e);
    return e;
  }

  row(remoteId: string) {
    return this.ctx.mirror.conversations.findByRemote(this.accountId, remoteId);
  }

  contents(remoteId: string): string[] {
    const row = this.row(remoteId);
    return row ? this.ctx.mirror.messages.all(row.id).map((m) => m.content) : [];
  }

  async close(): Promise<void> {
    while (this.engines.length) await this.engines.pop()!.sync.stop();
    this.ctx.close();
  }
}

export const named = (e: RecordingEngine, name: string): Record<string, unknown>[] => e.events.filter((x) => x.name === name).map((x) => x.payload);
export const calls = (c: FakeConnector, method: string): unknown[][] => c.calls.filter((x) => x.method === method).map((x) => x.args);
export const listCalls = (c: FakeConnector): { since: string | null; page: string | null }[] => calls(c, 'listConversations').map((a) => a[0] as { since: string | null; page: string | null });
export const idle = (): Promise<void> => new Promise((r) => setImmediate(r));
/** The detail an account shows when the site's paging went in circles (LinkState.inconsistent). */
export const inconsistentDetail = (what: string): string => `The site answers inconsistently (${what}); some history may be missing.`;
