// Browser mode's process wiring (src/main/web/lifecycle.ts) over an EventEmitter standing in for
// `process` and its stdio streams; the child-process test (integration/browser-mode-stdio-gone)
// covers the real process whose stdout/stderr reader went away.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardProcess } from '../../src/main/core/platform/last-resort';
import { stopOnSignals } from '../../src/main/web/lifecycle';

function fakeProcess() {
  const proc = Object.assign(new EventEmitter(), { stdout: new EventEmitter(), stderr: new EventEmitter() });
  let exited: (code: number) => void = () => {};
  const exitCode = new Promise<number>((resolve) => (exited = resolve));
  return { proc: Object.assign(proc, { exit: (code: number) => exited(code) }), exitCode };
}

describe('browser mode lifecycle', () => {
  it('hears a failed write to stdout or stderr, so it is no uncaught error for the last resort to log', () => {
    const { proc } = fakeProcess();
    const logged: string[] = [];
    guardProcess(proc as never, (m) => logged.push(m));
    // An EventEmitter throws an 'error' nobody listens to: what made it an uncaught exception.
    expect(() => proc.stderr.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).not.toThrow();
    expect(() => proc.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).not.toThrow();
    proc.emit('uncaughtException', new Error('one bad socket'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^uncaught error \(kept running\): Error: one bad socket/);
  });

  it('SIGTERM closes and exits 0; a second signal does not close again', async () => {
    const { proc, exitCode } = fakeProcess();
    let closes = 0;
    stopOnSignals(proc as never, async () => void closes++, () => {});
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    expect(await exitCode).toBe(0);
    expect(closes).toBe(1);
  });

  it('SIGHUP (the terminal closed) closes before it exits, too', async () => {
    const { proc, exitCode } = fakeProcess();
    let closed = false;
    stopOnSignals(proc as never, async () => void (closed = true), () => {});
    proc.emit('SIGHUP');
    expect(await exitCode).toBe(0);
    expect(closed).toBe(true);
  });

  it('a close that never ends still exits, with 1, after the limit, and says so', async () => {
    const { proc, exitCode } = fakeProcess();
    const logged: string[] = [];
    stopOnSignals(proc as never, () => new Promise<void>(() => {}), (m) => logged.push(m), 20);
    proc.emit('SIGINT');
    expect(await exitCode).toBe(1);
    expect(logged).toEqual(['stop: still closing after 20 ms; exiting without closing the mirror']);
  });

  it('a close that fails exits 1 with the reason', async () => {
    const { proc, exitCode } = fakeProcess();
    const logged: string[] = [];
    stopOnSignals(proc as never, () => Promise.reject(new Error('disk gone')), (m) => logged.push(m));
    proc.emit('SIGTERM');
    expect(await exitCode).toBe(1);
    expect(logged[0]).toMatch(/^stop: close failed: Error: disk gone/);
  });
});
