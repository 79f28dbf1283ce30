// 12. An OpenManus agent run emitting 1,000 events in 10 s (issue 15.5): the real openmanus
// reference backend (Django Channels + daphne, its scripted agent: 8 frames a step, 2 of them
// stored messages; bench/lib/openmanus-run.ts) and the real openmanus connector in the core,
// which watches the conversation (as when it is open on screen) and mirrors every frame as a
// timeline row. A second client (a plain `ws` socket in this process, ~100 frames/s of work
// beside the core) counts what the backend sent.
// Figures: stored messages missing from the mirror or there twice, and event rows missing or
// extra against the frames the second client saw (limit 0); a stored message's created_at (the
// backend's wall clock when it saved the row) → the mirror's commit ('messages.added', the same
// machine's wall clock, ms resolution); the core's event-loop delay during the run. The timeline
// in Chromium is the `openmanusui` benchmark.
import { mkdtempSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import type { ConnectionState } from '../src/shared/domain';
import { sized, type Bench } from './lib/context';
import { benchCore, call } from './lib/core';
import { MirrorReader, compare } from './lib/mirror-read';
import { startOpenManusFlood, type OpenManusFlood } from './lib/openmanus-run';
import { figure, lagOf, sleep, summary, waitFor } from './lib/report';

const RESOLUTION = 5;

export const bench: Bench = {
  name: 'openmanus',
  title: '12. OpenManus: an agent run of 1,000 events in 10 s, backend → mirror',
  async run(ctx) {
    const events = sized(ctx, 1_000, 200);
    const seconds = sized(ctx, 10, 2);
    let flood: OpenManusFlood | null = null;
    const dataDir = mkdtempSync(join(ctx.work, 'openmanus-core-'));
    const core = benchCore(dataDir, ctx.migrationsDir);
    let reader: MirrorReader | null = null;
    try {
      const f = (flood = await startOpenManusFlood(ctx.work, events, seconds));
      const { remoteId, frames } = f;
      let state: ConnectionState | null = null;
      const addedAt = new Map<string, number>();
      core.events.subscribe((name, payload) => {
        if (name === 'connection.state') state = (payload as { state: ConnectionState }).state;
        if (name !== 'messages.added') return;
        const at = Date.now();
        for (const m of (payload as { messages: { remoteId: string | null }[] }).messages) if (m.remoteId && !addedAt.has(m.remoteId)) addedAt.set(m.remoteId, at);
      });
      await core.start();
      const account = await call<{ id: number }>(core, 'accounts.connect', { kind: 'openmanus', siteUrl: f.backend.api, token: f.token });
      await waitFor(() => state === 'live', 30_000, 'the openmanus account to be live');
      const mirror = (reader = new MirrorReader(dataDir));
      const before = (await f.stored()).map((m) => m.id);
      await waitFor(() => before.every((id) => mirror.snapshot(account.id)[remoteId]?.includes(id)), 30_000, 'the first run in the mirror', 50);
      const rowsBefore = mirror.snapshot(account.id)[remoteId]?.length ?? 0;
      await call(core, 'conversations.watch', { conversationIds: [mirror.conversationId(account.id, remoteId)!] });
      await f.observe();
      await sleep(1000); // the core's socket for the watched conversation opens and catches up

      ctx.log(`a run of ${f.steps} steps (~${f.steps * 8 + 7} frames), tick ${f.tickMs} ms`);
      const lag = monitorEventLoopDelay({ resolution: RESOLUTION });
      lag.enable();
      const runMs = await f.run();
      const after = await f.stored();
      const storedIds = new Set(after.map((m) => m.id));
      const eventFrames = frames.filter((fr) => fr.event !== 'message.created').length;
      const expectedRows = rowsBefore + frames.length;
      await waitFor(() => (mirror.snapshot(account.id)[remoteId]?.length ?? 0) >= expectedRows && after.every((m) => addedAt.has(m.id)), 30_000, 'the run in the mirror', 50).catch(
        () => undefined,
      );
      lag.disable();

      const rows = mirror.snapshot(account.id)[remoteId] ?? [];
      const messages = compare({ [remoteId]: [...storedIds] }, { [remoteId]: rows.filter((id) => storedIds.has(id)) });
      const eventRows = rows.filter((id) => !storedIds.has(id)).length - (rowsBefore - before.length);
      const lostEvents = Math.max(0, eventFrames - eventRows);
      const extraEvents = Math.max(0, eventRows - eventFrames);
      const runMessages = after.filter((m) => !before.includes(m.id));
      const latency = runMessages.flatMap((m) => {
        const end = addedAt.get(m.id);
        return end === undefined ? [] : [end - Date.parse(m.created_at)];
      });
      const l = summary(latency);
      const loop = lagOf(lag, RESOLUTION);
      ctx.log(
        `${frames.length} frames in ${Math.round(runMs)} ms (${runMessages.length} stored); mirror rows ${rows.length - rowsBefore}; lost ${messages.lost}+${lostEvents}, extra ${messages.duplicated + messages.extra}+${extraEvents}; p99 ${l.p99} ms; loop p99 ${loop.p99} ms`,
      );
      return {
        figures: [
          figure({ id: 'openmanus.frames', name: `frames of the run (${f.steps} steps)`, value: frames.length, unit: 'frames' }),
          figure({ id: 'openmanus.runMs', name: 'the run, its start to agent.finished', value: Math.round(runMs), unit: 'ms' }),
          figure({ id: 'openmanus.rate', name: 'frames per second over the run', value: Math.round((frames.length / runMs) * 1000), unit: 'frames/s' }),
          figure({ id: 'openmanus.lost', name: 'stored messages + event frames not in the mirror', value: messages.lost + lostEvents, unit: 'items', limit: 0 }),
          figure({ id: 'openmanus.duplicated', name: 'in the mirror twice or extra', value: messages.duplicated + messages.extra + extraEvents, unit: 'items', limit: 0 }),
          figure({ id: 'openmanus.latency.p50', name: 'stored message created_at → mirror commit, p50', value: l.p50, unit: 'ms' }),
          figure({ id: 'openmanus.latency.p99', name: 'stored message created_at → mirror commit, p99', value: l.p99, unit: 'ms', limit: 50, limitNote: 'as jwt-ws and live' }),
          figure({ id: 'openmanus.lag.p99', name: 'core event-loop delay p99 (during the run)', value: loop.p99, unit: 'ms', limit: 20, limitNote: 'as the load bench' }),
          figure({ id: 'openmanus.lag.max', name: 'core event-loop delay max', value: loop.max, unit: 'ms' }),
        ],
        info: {
          steps: f.steps,
          tickMs: f.tickMs,
          runMs: Math.round(runMs),
          frames: frames.length,
          eventFrames,
          storedMessagesOfRun: runMessages.length,
          mirrorRowsOfRun: rows.length - rowsBefore,
          messages,
          lostEvents,
          extraEvents,
          latencyMs: l,
          eventLoopDelayMs: loop,
        },
      };
    } finally {
      reader?.close();
      await core.close();
      await flood?.close();
    }
  },
};
