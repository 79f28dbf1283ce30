// Issue 16, item 16: browser mode's transport says when the core is out of reach, and a call made
// meanwhile fails at once instead of being sent late (after the page told the user it failed and
// kept the reply for another try). The bridge runs against a fake WebSocket.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConsoleTransport } from '../../src/shared/contract';

class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readonly OPEN = 1;
  readyState = FakeSocket.CONNECTING;
  sent: string[] = [];
  private readonly listeners = new Map<string, Array<(event: unknown) => void>>();
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(frame: string): void {
    this.sent.push(frame);
  }
  fire(type: string, event: unknown = {}): void {
    if (type === 'open') this.readyState = FakeSocket.OPEN;
    if (type === 'close') this.readyState = 3;
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

let transport: ConsoleTransport;
const latest = () => FakeSocket.all.at(-1)!;

beforeAll(async () => {
  vi.useFakeTimers();
  const g = globalThis as Record<string, unknown>;
  g.window = globalThis;
  g.location = { protocol: 'http:', host: '127.0.0.1:1234' };
  g.WebSocket = FakeSocket;
  await import('../../src/renderer/web-bridge/index');
  transport = (globalThis as unknown as { switchboard: ConsoleTransport }).switchboard;
});
afterAll(() => vi.useRealTimers());

describe('the web bridge', () => {
  it('reports the connection and fails calls at once when the socket drops, sending none of them later', async () => {
    const states: boolean[] = [];
    transport.onConnection?.((c) => states.push(c));
    expect(latest().url).toBe('ws://127.0.0.1:1234/ws');
    latest().fire('open');
    const answered = transport.invoke('app.info');
    expect(JSON.parse(latest().sent[0]!)).toMatchObject({ type: 'invoke', id: 1, method: 'app.info' });
    latest().fire('message', { data: JSON.stringify({ type: 'result', id: 1, ok: true, value: { mode: 'web' } }) });
    expect(await answered).toMatchObject({ ok: true });

    const inFlight = transport.invoke('accounts.list');
    latest().fire('close');
    expect(states).toEqual([true, false]);
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    // While reconnecting: a reply sent now is queued, then failed when that attempt fails too.
    vi.advanceTimersByTime(250);
    const retrying = latest();
    const reply = transport.invoke('messages.send', { conversationId: 1, content: 'hello', clientId: 'c1' });
    retrying.fire('close');
    expect(await reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    // The next socket that opens must not carry it.
    vi.advanceTimersByTime(500);
    latest().fire('open');
    expect(latest().sent).toEqual([]);
    expect(states).toEqual([true, false, true]);
  });
});
