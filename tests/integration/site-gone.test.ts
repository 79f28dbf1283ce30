// A portfolio site (the real reference backend) that goes away for good while the core is live:
// the core's realtime attempts must back off (the Pusher probe restarted pusher-js every 1–2 s
// for as long as the app ran: 13–14 connections per 20 s against a dead port), and close()
// must still resolve promptly and mark the mirror cleanly closed. Once the site is gone, a
// listener on its Pusher port counts the attempts and drops each at once: a port that answers
// nothing, whose attempts can be counted (a refused port leaves no trace to count).
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/core';
import { cleanCloseMark } from '../../src/main/core/db/clean-close';
import { FAST_PROBES_FOR_MS } from '../../src/main/core/connectors/portfolio/pusher-link';
import { connectAccount, startTestBackend, startTestCore, waitFor } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Accepts and drops every connection on the port, remembering when each came. */
async function countingPort(port: number): Promise<{ attempts: number[]; server: Server }> {
  const attempts: number[] = [];
  const server = createServer((socket) => {
    attempts.push(Date.now());
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { attempts, server };
}

const longestGap = (times: number[]) => Math.max(0, ...times.slice(1).map((t, i) => t - times[i]!));

describe('a site gone for good', () => {
  it('the realtime attempts come at most 4 s apart for a minute, then back off past the old 2 s ceiling; close() resolves within 5 s', async () => {
    const backend = await startTestBackend();
    let backendClosed = false;
    cleanups.push(() => (backendClosed ? undefined : backend.close()));
    const temp = tempDir('switchboard-site-gone-');
    cleanups.push(() => temp.cleanup());
    const core = await startTestCore(temp.dir);
    cleanups.push(() => core.close());
    await connectAccount(core.core, backend);
    await waitFor(() => core.state() === 'live', 15_000, 'live');

    await backend.close();
    backendClosed = true;
    const port = await countingPort(backend.pusherPort);
    cleanups.push(() => new Promise<void>((resolve) => port.server.close(() => resolve())));
    // For the first minute the attempts come at most 4 s apart (a restarting server is found
    // again within 5 s); then the waits grow: a gap over 3 s never happened with the 1–2 s probe.
    const since = (times: number[]) => times.map((t) => t - times[0]!).join(', ');
    await waitFor(() => port.attempts.length >= 2 && longestGap(port.attempts) >= 3000, FAST_PROBES_FOR_MS + 40_000, 'a gap of 3 s between attempts').catch((error: Error) => {
      throw new Error(`${error.message}; attempts at ${since(port.attempts)} ms`);
    });
    expect(core.state()).not.toBe('live');

    const closed = core.close().then(() => 'closed' as const);
    const bound = new Promise<'still closing'>((resolve) => setTimeout(() => resolve('still closing'), 5000).unref());
    expect(await Promise.race([closed, bound])).toBe('closed');
    expect(existsSync(cleanCloseMark(join(temp.dir, DATABASE_FILE)))).toBe(true);
  }, FAST_PROBES_FOR_MS + 90_000);
});
