// 11. jwt-ws at 1,000 messages a second across 50 rooms (issue 15.5): the real jwt-ws reference
// server in a helper process (bench/lib/jwt-ws-agent.ts: 50 members, one direct room each with
// the owner; its hub joins the frames of one turn into one WebSocket message, as deployed) and
// the real jwt-ws connector in the core, signed in with email + password over REST, one socket.
// Figures: what the server committed and the mirror does not hold, or holds twice (limit 0);
// the time from the server's commit (its transaction done, monotonic clock of the helper) to the
// mirror's commit ('messages.added', emitted after the core's transaction); and the core's
// event-loop delay while the messages flow (the core's process does nothing else).
import { mkdtempSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import type { ConnectionState } from '../src/shared/domain';
import { sized, type Bench } from './lib/context';
import { Agent } from './lib/agent-client';
import { benchCore, call } from './lib/core';
import { JWT_WS_OWNER, type JwtWsInfo, type JwtWsRun } from './lib/jwt-ws-agent';
import { MirrorReader, compare } from './lib/mirror-read';
import { figure, lagOf, nowMs, summary, waitFor } from './lib/report';

const ROOMS = 50;
const RESOLUTION = 5;

export const bench: Bench = {
  name: 'jwtws',
  title: '11. jwt-ws: 1,000 msg/s across 50 rooms, server commit → mirror commit',
  async run(ctx) {
    const rate = sized(ctx, 1_000, 200);
    const durationMs = sized(ctx, 10_000, 3_000);
    const server = Agent.start('jwt-ws', 'jwt-ws-agent.ts');
    const dataDir = mkdtempSync(join(ctx.work, 'jwtws-core-'));
    const requests = new Map<string, number>();
    const countingFetch: typeof fetch = (input, init) => {
      const path = new URL(input instanceof Request ? input.url : String(input)).pathname.replace(/[0-9a-f-]{36}/g, ':id');
      const key = `${init?.method ?? 'GET'} ${path}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      return fetch(input, init);
    };
    const core = benchCore(dataDir, ctx.migrationsDir, { fetch: countingFetch });
    let reader: MirrorReader | null = null;
    try {
      const before = nowMs();
      const theirs = await server.call<number>('hrtime');
      const after = nowMs();
      if (theirs < before || theirs > after) throw new Error(`helper clock is not comparable (${before} ≤ ${theirs} ≤ ${after} fails)`);

      const info = await server.call<JwtWsInfo>('jwtws.start', { rooms: ROOMS });
      let state: ConnectionState | null = null;
      core.events.subscribe((name, payload) => {
        if (name === 'connection.state') state = (payload as { state: ConnectionState }).state;
      });
      const committed = new Map<string, number>();
      const addedTimes = new Map<string, number>();
      let addedEvents = 0;
      core.events.subscribe((name, payload) => {
        if (name !== 'messages.added') return;
        const at = nowMs();
        addedEvents++;
        for (const m of (payload as { messages: { remoteId: string | null }[] }).messages) {
          if (!m.remoteId) continue;
          committed.set(m.remoteId, (committed.get(m.remoteId) ?? 0) + 1);
          if (!addedTimes.has(m.remoteId)) addedTimes.set(m.remoteId, at);
        }
      });
      await core.start();
      const account = await call<{ id: number }>(core, 'accounts.connect', { kind: 'jwt-ws', siteUrl: info.url, ...JWT_WS_OWNER });
      await waitFor(() => state === 'live', 30_000, 'the jwt-ws account to be live');
      reader = new MirrorReader(dataDir);
      const mirror = reader;
      await waitFor(() => mirror.count(account.id) >= ROOMS, 60_000, 'the opening message of every room');
      const requestsBefore = [...requests.values()].reduce((a, b) => a + b, 0);

      ctx.log(`${rate} msg/s across ${ROOMS} rooms for ${durationMs / 1000} s`);
      const lag = monitorEventLoopDelay({ resolution: RESOLUTION });
      lag.enable();
      const run = await server.call<JwtWsRun>('jwtws.run', { rate, durationMs });
      await waitFor(() => run.commits.every(([id]) => addedTimes.has(id)), 60_000, 'every message in the mirror').catch(() => undefined);
      lag.disable();
      const catchUpMs = nowMs() - (run.commits.at(-1)?.[2] ?? nowMs());

      const counts = compare(await server.call<Record<string, string[]>>('jwtws.snapshot'), mirror.snapshot(account.id));
      const latency = run.commits.flatMap(([id, , at]) => {
        const end = addedTimes.get(id);
        return end === undefined ? [] : [end - at];
      });
      const l = summary(latency);
      // The split: the server's part (commit → its hub hands the frame to the socket) and the console's.
      const handed = new Map(run.handedToSocket);
      const serverPart: number[] = [];
      const consolePart: number[] = [];
      for (const [id, , at] of run.commits) {
        const out = handed.get(id);
        const end = addedTimes.get(id);
        if (out === undefined) continue;
        serverPart.push(out - at);
        if (end !== undefined) consolePart.push(end - out);
      }
      const sp = summary(serverPart);
      const cp = summary(consolePart);
      const loop = lagOf(lag, RESOLUTION);
      const liveRequests = [...requests.values()].reduce((a, b) => a + b, 0) - requestsBefore;
      const twiceAdded = [...committed.values()].filter((n) => n > 1).length;
      ctx.log(`sent ${run.sent} at ${run.rate}/s (generator behind ≤ ${run.maxBehindMs} ms); mirror ${counts.mirror}, lost ${counts.lost}, duplicated ${counts.duplicated}; p99 ${l.p99} ms; loop p99 ${loop.p99} ms`);
      return {
        figures: [
          figure({ id: 'jwtws.rate', name: `server commits, ${ROOMS} rooms (offered ${rate}/s)`, value: run.rate, unit: 'msg/s' }),
          figure({ id: 'jwtws.lost', name: 'committed by the server, not in the mirror', value: counts.lost, unit: 'messages', limit: 0 }),
          figure({ id: 'jwtws.duplicated', name: 'in the mirror twice', value: counts.duplicated + counts.extra, unit: 'messages', limit: 0 }),
          figure({ id: 'jwtws.latency.p50', name: 'server commit → mirror commit, p50', value: l.p50, unit: 'ms' }),
          figure({ id: 'jwtws.latency.p99', name: 'server commit → mirror commit, p99', value: l.p99, unit: 'ms', limit: 50 }),
          figure({ id: 'jwtws.server.p99', name: 'of which: server commit → frame handed to the socket, p99', value: sp.p99, unit: 'ms' }),
          figure({ id: 'jwtws.console.p99', name: 'of which: frame handed to the socket → mirror commit, p99', value: cp.p99, unit: 'ms' }),
          figure({ id: 'jwtws.lag.p99', name: 'core event-loop delay p99', value: loop.p99, unit: 'ms', limit: 20, limitNote: 'as the load bench' }),
          figure({ id: 'jwtws.lag.max', name: 'core event-loop delay max', value: loop.max, unit: 'ms' }),
        ],
        info: {
          rooms: ROOMS,
          offeredRate: rate,
          durationMs,
          sent: run.sent,
          failedSends: run.failed,
          sendErrors: run.errors,
          generatorMs: run.ms,
          generatorMaxBehindMs: run.maxBehindMs,
          counts,
          addedTwiceInEvents: twiceAdded,
          messagesAddedEvents: addedEvents,
          latencyMs: l,
          serverCommitToSocketMs: sp,
          socketToMirrorCommitMs: cp,
          lastCommitToAllMirroredMs: Math.round(catchUpMs),
          eventLoopDelayMs: loop,
          restRequestsWhileLive: liveRequests,
          restRequests: Object.fromEntries(requests),
        },
      };
    } finally {
      reader?.close();
      await core.close();
      await server.call('jwtws.close').catch(() => undefined);
      await server.stop();
    }
  },
};
