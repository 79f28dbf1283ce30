// The core killed (SIGKILL) right after it received events, again and again: after the next
// start and catch-up nothing is missing and nothing is doubled. The core runs in a child process
// (node --import tsx tests/support/core-child.ts). Every third restart is killed again inside its
// catch-up. SWITCHBOARD_CRASH_ITERATIONS sets the count (default 20).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/core';
import { openDatabase } from '../../src/main/core/db/open';
import { Mirror } from '../../src/main/core/mirror/mirror';
import { Visitor, backendSnapshot, countMessages, sleep, sortKeys, startTestBackend, waitFor, type Snapshot } from '../support/portfolio-harness';
import { migrationsDir, tempDir } from '../support/temp-db';
import { startHoldProxy } from '../support/hold-proxy';
import { replyOutcome, startCoreChild } from '../support/core-child-process';

const ITERATIONS = Number(process.env.SWITCHBOARD_CRASH_ITERATIONS ?? 20);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const startChild = (args: string[], env: Record<string, string> = {}) => startCoreChild(cleanups, args, env);

function readMirror(dataDir: string): Snapshot {
  const database = openDatabase({ file: join(dataDir, DATABASE_FILE), migrationsDir });
  const mirror = new Mirror(database);
  try {
    const out: Snapshot = {};
    const [account] = mirror.accounts.list();
    let cursor: string | undefined;
    for (;;) {
      const page = mirror.conversations.page('all', 500, cursor, account!.id);
      for (const c of page.items) {
        out[c.remoteId] = { status: c.status, messages: mirror.messages.all(c.id).map((m) => ({ id: m.remoteId ?? 'pending', content: m.content, senderType: m.senderType })) };
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return out;
  } finally {
    mirror.close();
  }
}

describe('portfolio sync survives being killed', () => {
  it(`6. SIGKILL right after events arrive, ${ITERATIONS} times: nothing missing after catch-up`, { timeout: 300_000 }, async () => {
    const b = await startTestBackend({ seed: true });
    cleanups.push(() => b.close());
    const t = tempDir('switchboard-crash-');
    cleanups.push(() => t.cleanup());
    const visitors = await Promise.all(Array.from({ length: 5 }, (_, i) => new Visitor(b.apiUrl, `Crash ${i}`).open()));

    let child = startChild([t.dir, b.apiUrl, b.admin.email, b.admin.password]);
    await waitFor(() => child.lines.some((l) => l.state === 'live'), 30_000, 'first child live');
    const t0 = Date.now();
    let killedAfterEvents = 0;
    let killedInCatchUp = 0;
    let n = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      // A burst while the core runs; kill it as soon as it has received (and applied) some of it.
      const before = child.lines.filter((l) => l.event === 'added').length;
      const burst = Promise.all(visitors.map(async (v) => {
        for (let k = 0; k < 4; k++) await v.send(`crash ${i} msg ${n++}`);
      }));
      if (process.env.SWITCHBOARD_TEST_LOG) console.log(`iteration ${i}: burst starts`);
      const got = await waitFor(() => child.lines.filter((l) => l.event === 'added').length > before, 10_000, 'events received').then(() => true, () => false);
      child.proc.kill('SIGKILL');
      await child.exited;
      if (got) killedAfterEvents++;
      if (process.env.SWITCHBOARD_TEST_LOG) console.log(`iteration ${i}: events ${got}, ${Date.now() - t0} ms`);
      await burst;
      // More arrives while it is down.
      await visitors[i % visitors.length]!.send(`while down ${i}`);
      // Sometimes kill it again inside its catch-up: the backend holds the catch-up's message
      // fetches, so a held request proves the catch-up has listed the conversations and is
      // fetching one when the kill lands.
      const midCatchUp = i % 3 === 2;
      if (midCatchUp) b.faults.hold('GET', '/api/chat/messages');
      child = startChild([t.dir]);
      if (midCatchUp) {
        await waitFor(() => b.faults.heldCount > 0, 20_000, 'a catch-up fetch held');
        expect(child.lines.some((l) => l.state === 'live')).toBe(false);
        child.proc.kill('SIGKILL');
        await child.exited;
        killedInCatchUp++;
        b.faults.release();
        child = startChild([t.dir]);
      }
      await waitFor(() => child.lines.some((l) => l.state === 'live'), 30_000, `child ${i} live`);
    }
    await sleep(300);
    child.proc.kill('SIGTERM');
    await child.exited;
    const mirror = sortKeys(readMirror(t.dir));
    const backend = sortKeys(backendSnapshot(b));
    console.log(`[6] crash: ${ITERATIONS} SIGKILLs (${killedAfterEvents} right after applying live events, ${killedInCatchUp} more inside a catch-up) in ${Date.now() - t0} ms; mirror ${countMessages(mirror)} / backend ${countMessages(backend)} messages`);
    expect(mirror).toEqual(backend);
    expect(killedAfterEvents).toBe(ITERATIONS);
    expect(killedInCatchUp).toBe(Math.floor(ITERATIONS / 3));
  });

  it('a reply in flight at a SIGKILL, on a site without idempotent send, is on the site exactly once after the restart', { timeout: 120_000 }, async () => {
    const b = await startTestBackend({ seed: true, extensions: false });
    cleanups.push(() => b.close());
    const proxy = await startHoldProxy(b.apiUrl);
    cleanups.push(() => proxy.close());
    const t = tempDir('switchboard-crash-reply-');
    cleanups.push(() => t.cleanup());
    const text = 'the reply that was in flight';
    const onSite = () => b.api.listAllMessages().filter((m) => m.senderType === 'admin' && m.content === text).length;
    // The site stores the reply; its answer never reaches the core, which is killed meanwhile.
    proxy.hold((req) => req.method === 'POST' && (req.url ?? '').startsWith('/api/chat/send'));
    let child = startChild([t.dir, proxy.url, b.admin.email, b.admin.password], { SWITCHBOARD_CHILD_PUSHER: JSON.stringify(b.pusherSettings), SWITCHBOARD_CHILD_REPLY: text });
    await waitFor(() => proxy.held === 1 && onSite() === 1, 30_000, 'reply stored by the site, answer held');
    child.proc.kill('SIGKILL');
    await child.exited;
    proxy.release();
    child = startChild([t.dir]);
    await waitFor(() => child.lines.some((l) => l.state === 'live'), 30_000, 'restarted child live');
    const database = () => replyOutcome(t.dir, text);
    await waitFor(() => database().pending === 0, 30_000, 'outbox settled after restart');
    child.proc.kill('SIGTERM');
    await child.exited;
    expect(onSite()).toBe(1);
    expect(database().mine.map((m) => m.delivery)).toEqual(['sent']);
  });
});
