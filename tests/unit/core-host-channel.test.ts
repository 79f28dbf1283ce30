// The two ends of the core host's channel with fakes: Electron's utilityProcess (shell side) and
// parentPort (host side) carry the same messages as the fork transport the integration test runs;
// and the host refuses what it cannot answer instead of throwing.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CoreHostClient } from '../../src/main/core-host/client';
import { runCoreHost } from '../../src/main/core-host/host';
import { parentPortHost } from '../../src/main/core-host/ports';
import type { HostExit, HostMessage, HostPort, ParentMessage } from '../../src/main/core-host/protocol';
import { utilityCoreHost, type UtilityProcessLike } from '../../src/main/shell/core-process';

class FakeUtility extends EventEmitter {
  pid: number | undefined = 4242;
  sent: unknown[] = [];
  killed = 0;
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  kill(): boolean {
    this.killed++;
    return true;
  }
}

describe('utilityProcess end (shell)', () => {
  it('forks the entry as "Switchboard core", passes messages both ways and reports the exit code once', () => {
    const child = new FakeUtility();
    const forks: unknown[][] = [];
    const port = utilityCoreHost({ fork: (...args) => (forks.push(args), child as unknown as UtilityProcessLike) }, '/app/out/main/core-host.js');
    expect(forks).toEqual([['/app/out/main/core-host.js', [], { serviceName: 'Switchboard core', stdio: 'inherit' }]]);
    const received: unknown[] = [];
    const exits: HostExit[] = [];
    port.onMessage((m) => received.push(m));
    port.onExit((e) => exits.push(e));
    port.postMessage({ type: 'start' });
    child.emit('message', { type: 'started' });
    child.emit('exit', 9);
    // Nothing is posted to a process that is gone.
    port.postMessage({ type: 'resync', reason: 'late' });
    expect(child.sent).toEqual([{ type: 'start' }]);
    expect(received).toEqual([{ type: 'started' }]);
    expect(exits).toEqual([{ code: 9, signal: null }]);
    port.kill();
    expect(child.killed).toBe(1);
  });

  it('a client on it answers the call in flight "unavailable" when the utility process dies', async () => {
    const child = new FakeUtility();
    const client = new CoreHostClient({ port: utilityCoreHost({ fork: () => child as unknown as UtilityProcessLike }, 'x.js') });
    const call = client.dispatch('accounts.list', undefined);
    expect(child.sent).toEqual([{ type: 'invoke', id: 1, method: 'accounts.list', input: undefined }]);
    child.emit('exit', 139);
    expect(await call).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('exit code 139') } });
  });
});

describe('parentPort end (host)', () => {
  it('reads event.data and posts plain messages', () => {
    const parent = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void; posted: unknown[] };
    parent.posted = [];
    parent.postMessage = (m) => parent.posted.push(m);
    const port = parentPortHost(parent as never);
    const got: unknown[] = [];
    port.onMessage((m) => got.push(m));
    parent.emit('message', { data: { type: 'close' }, ports: [] });
    port.postMessage({ type: 'closed' });
    expect(got).toEqual([{ type: 'close' }]);
    expect(parent.posted).toEqual([{ type: 'closed' }]);
  });
});

describe('host before init', () => {
  function host() {
    const out: HostMessage[] = [];
    let deliver: (m: unknown) => void = () => {};
    const logs: string[] = [];
    const port: HostPort = { postMessage: (m) => out.push(m), onMessage: (l) => (deliver = l) };
    runCoreHost({ port, log: (m) => logs.push(m), exit: () => {} });
    return { out, logs, send: (m: ParentMessage | unknown) => deliver(m) };
  }

  it('answers a call "unavailable", logs and skips malformed or unknown messages', async () => {
    const h = host();
    h.send({ type: 'invoke', id: 7, method: 'accounts.list' });
    h.send({ type: 'invoke', id: 'x', method: 3 });
    h.send({ type: 'bogus' });
    h.send(null);
    h.send({ type: 'start' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(h.out).toEqual([{ type: 'result', id: 7, ok: false, error: { code: 'unavailable', message: 'The Switchboard core is not running.' } }]);
    expect(h.logs).toEqual([
      'core host: refused a malformed invoke frame',
      'core host: ignored a message of type "bogus"',
      'core host: ignored a message of type null',
      'core host: start before init',
    ]);
  });
});
