// 5. Live latency on loopback: a visitor's message leaves the reference Pusher server (the moment
// it hands the frame to the core's socket), reaches pusher-js in the core, is committed to
// SQLite, and its "messages.added" event is written to the renderer's WebSocket (browser mode's
// transport). Two paths, as in the app:
//   - the conversation open on screen: its private channel carries the message itself;
//   - every other conversation: an alert on the admin channel, then a REST fetch of what is new.
// Beside it, a bare ws round trip between the same two processes. The backend and the visitors
// run in helper processes, so the core's process does only the core's work.
import { mkdtempSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { sized, type Bench } from './lib/context';
import { Agent } from './lib/agent-client';
import type { BackendInfo, Frames, SendResult } from './lib/agent';
import { benchCore } from './lib/core';
import { figure, lagOf, nowMs, summary, waitFor } from './lib/report';
import { connectWithVisitors, type LiveResources } from './lib/live-account';

const VISITORS = 20;

export async function wsRoundTrips(port: number, count: number): Promise<number[]> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // About the size of a chat frame.
  const payload = JSON.stringify({ event: 'new-message', channel: 'private-conversation-1', data: 'x'.repeat(200) });
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = nowMs();
    await new Promise<void>((resolve) => {
      ws.once('message', () => resolve());
      ws.send(payload);
    });
    samples.push(nowMs() - start);
  }
  ws.close();
  return samples;
}

export const bench: Bench = {
  name: 'live',
  title: '5. Live latency: Pusher server → pusher-js → SQLite → renderer transport',
  async run(ctx) {
    const total = sized(ctx, 10_000, 300);
    const rate = sized(ctx, 250, 100);
    const backend = Agent.start('backend');
    const visitors = Agent.start('visitors');
    const dataDir = mkdtempSync(join(ctx.work, 'live-core-'));
    // The real connector, with its REST calls timed: how long the backend takes to answer is
    // part of the alert path, and the figure should show how much.
    const rest: number[] = [];
    const timedFetch: typeof fetch = async (input, init) => {
      const start = nowMs();
      try {
        return await fetch(input, init);
      } finally {
        rest.push(nowMs() - start);
      }
    };
    const core = benchCore(dataDir, ctx.migrationsDir, {
      fetch: timedFetch,
    });
    const resources: LiveResources = { server: null, reader: null };
    try {
      // Both processes read the same monotonic clock: check it before relying on it.
      const before = nowMs();
      const theirs = await backend.call<number>('hrtime');
      const after = nowMs();
      if (theirs < before || theirs > after) throw new Error(`helper clock is not comparable (${before} ≤ ${theirs} ≤ ${after} fails)`);

      const info = await backend.call<BackendInfo>('backend.start');
      const echoPort = await backend.call<number>('echo.start');
      const { remoteIds } = await connectWithVisitors({
        core,
        visitors,
        info,
        work: ctx.work,
        dataDir,
        visitorCount: VISITORS,
        openingTimeoutMs: 20_000,
        resources,
      });

      // The end of the path: right after browser mode's transport has written the event (this
      // listener subscribed after the renderer's socket, so it runs after that socket's send).
      const added = new Map<string, number>();
      core.events.subscribe((name, payload) => {
        if (name !== 'messages.added') return;
        const at = nowMs();
        for (const m of (payload as { messages: { remoteId: string | null }[] }).messages) if (m.remoteId && !added.has(m.remoteId)) added.set(m.remoteId, at);
      });
      await backend.call('frames.record', { on: true });
      rest.length = 0;
      const lag = monitorEventLoopDelay({ resolution: 5 });
      lag.enable();
      ctx.log(`${total} messages from ${VISITORS} visitors at ${rate}/s; half in the open conversation`);
      const sent = await visitors.call<SendResult>('visitors.run', { phases: [{ rate, durationMs: (total / rate) * 1000, sequential: true, firstVisitorShare: 0.5 }] });
      lag.disable();
      const ids = Object.values(sent.byConversation).flat();
      await waitFor(() => ids.every((id) => added.has(String(id))), 60_000, 'every message in the mirror').catch(() => undefined);
      await backend.call('frames.record', { on: false });
      const frames = await backend.call<Frames>('frames.take');
      const rendered = new Map((await visitors.call<{ received: [string, number][] }>('renderer.take')).received);

      const frameAt = new Map(frames.newMessage);
      const watched: number[] = [];
      const alerted: number[] = [];
      const toRenderer: number[] = [];
      let missing = 0;
      let unmatchedAlerts = 0;
      for (const [conversation, list] of Object.entries(sent.byConversation)) {
        const isOpen = conversation === String(remoteIds[0]);
        const alerts = frames.alerts.filter(([c]) => String(c) === conversation).map(([, t]) => t);
        if (!isOpen && alerts.length !== list.length) unmatchedAlerts += Math.abs(alerts.length - list.length);
        list.forEach((id, k) => {
          const end = added.get(String(id));
          if (end === undefined) {
            missing++;
            return;
          }
          const start = isOpen ? frameAt.get(id) : alerts.length === list.length ? alerts[k] : undefined;
          if (start === undefined) return;
          (isOpen ? watched : alerted).push(end - start);
          const seen = rendered.get(String(id));
          if (seen !== undefined) toRenderer.push(seen - start);
        });
      }
      ctx.log('bare ws round trips');
      const rtt = summary(await wsRoundTrips(echoPort, total));
      const w = summary(watched);
      const a = summary(alerted);
      return {
        figures: [
          figure({ id: 'live.open.p50', name: 'live, open conversation (message on its channel), p50', value: w.p50, unit: 'ms' }),
          figure({ id: 'live.open.p99', name: 'live, open conversation (message on its channel), p99', value: w.p99, unit: 'ms', limit: 50, limitNote: `bare ws round trip p99 ${rtt.p99} ms` }),
          figure({ id: 'live.other.p50', name: 'live, other conversations (alert + REST fetch), p50', value: a.p50, unit: 'ms' }),
          figure({ id: 'live.other.p99', name: 'live, other conversations (alert + REST fetch), p99', value: a.p99, unit: 'ms', limit: 50, limitNote: `bare ws round trip p99 ${rtt.p99} ms` }),
          figure({ id: 'live.ws.p50', name: 'bare ws round trip (same processes), p50', value: rtt.p50, unit: 'ms' }),
          figure({ id: 'live.ws.p99', name: 'bare ws round trip (same processes), p99', value: rtt.p99, unit: 'ms' }),
        ],
        info: {
          messages: sent.sent,
          failedSends: sent.failed,
          sendErrors: sent.errors,
          offeredRate: rate,
          achieved: sent.phases,
          visitors: VISITORS,
          openConversationMs: w,
          otherConversationsMs: a,
          toRendererSocketMs: summary(toRenderer),
          wsRoundTripMs: rtt,
          restCallMs: summary(rest),
          eventLoopDelayMs: lagOf(lag, 5),
          missingFromMirror: missing,
          unmatchedAlerts,
        },
      };
    } finally {
      await visitors.call('renderer.close').catch(() => undefined);
      resources.reader?.close();
      await resources.server?.close();
      await core.close();
      await backend.call('backend.close').catch(() => undefined);
      await visitors.stop();
      await backend.stop();
    }
  },
};
