// 6. Catch-up: 10,000 messages arrive while the console is closed (in 100 conversations, some
// busy, most not). The core starts on its offline mirror, connects, and fetches and mirrors the
// gap through the real connector and sync engine; the figure is the time from its first REST
// request to "live" with every message searchable, against the time to only download the very same pages (the requests the
// connector made, replayed with fetch in the same pattern (the list, then each conversation's
// pages in order, as many conversations at once as the engine fetches), bodies read, nothing
// parsed or stored).
// Three rounds, each core on a fresh copy of the offline mirror, downloads interleaved.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { CATCH_UP_FETCHES } from '../src/main/core/sync/catch-up';
import { measureFloor, type DownloadedPage, type FloorCpu } from './lib/catchup-floor';
import type { ConnectionState } from '../src/shared/domain';
import { sized, type Bench, type BenchContext } from './lib/context';
import { Agent } from './lib/agent-client';
import type { BackendInfo } from './lib/agent';
import { benchCore, call } from './lib/core';
import { MirrorReader } from './lib/mirror-read';
import { figure, median, nowMs, round, waitFor } from './lib/report';
import { startTransport } from './lib/transport';
import { mainThreadCpuMs, processCpuMs } from './lib/thread-cpu';

/** CPU in ms over a span: the core's main thread, its whole process, the backend's process. */
interface SpanCpu {
  main: number;
  process: number;
  backend: number;
}
const cpuNow = (backendPid: number | undefined): SpanCpu => {
  const u = process.cpuUsage();
  return { main: mainThreadCpuMs(), process: (u.user + u.system) / 1000, backend: backendPid ? processCpuMs(backendPid) : Number.NaN };
};
const cpuSince = (at: SpanCpu, backendPid: number | undefined): SpanCpu => {
  const now = cpuNow(backendPid);
  return { main: now.main - at.main, process: now.process - at.process, backend: now.backend - at.backend };
};

interface Request {
  url: string;
  authorization: string;
  start: number;
}

/** A core on `dataDir` whose connector records its REST requests; resolves once it is live. */
async function catchUp(ctx: BenchContext, dataDir: string, agent: Agent): Promise<{ ms: number; cpuMs: number; cpuFromFirstMs: number; span: SpanCpu; requests: Request[]; core: Awaited<ReturnType<typeof benchCore>> }> {
  const requests: Request[] = [];
  let cpuAtFirst: NodeJS.CpuUsage | null = null;
  let spanAtFirst: SpanCpu | null = null;
  let span: SpanCpu = { main: Number.NaN, process: Number.NaN, backend: Number.NaN };
  const recordingFetch: typeof fetch = (input, init) => {
    cpuAtFirst ??= process.cpuUsage();
    spanAtFirst ??= cpuNow(agent.pid);
    const headers = new Headers(init?.headers);
    requests.push({ url: String(input), authorization: headers.get('authorization') ?? '', start: nowMs() });
    return fetch(input, init);
  };
  const core = benchCore(dataDir, ctx.migrationsDir, {
    fetch: recordingFetch,
  });
  // The inbox is open while it catches up: its events go to a renderer's socket.
  const server = await startTransport(core, mkdtempSync(join(ctx.work, 'catchup-renderer-')));
  await agent.call('renderer.connect', { url: server.url });
  // One conversation with missed messages is open: its pane gets them as they are mirrored.
  await agent.call('renderer.show', { conversationIds: [1] });
  let liveAt = 0;
  let cpuMs = 0;
  let cpuFromFirstMs = 0;
  const cpu = process.cpuUsage();
  const profiler = await startProfile();
  core.events.subscribe((name, payload) => {
    if (name === 'connection.state' && (payload as { state: ConnectionState }).state === 'live' && !liveAt) {
      // Caught up means searchable too: what the search index still has to add counts.
      core.mirror.messageIndex.catchUp();
      liveAt = nowMs();
      const used = process.cpuUsage(cpu);
      cpuMs = (used.user + used.system) / 1000;
      const fromFirst = process.cpuUsage(cpuAtFirst ?? cpu);
      cpuFromFirstMs = (fromFirst.user + fromFirst.system) / 1000;
      if (spanAtFirst) span = cpuSince(spanAtFirst, agent.pid);
    }
  });
  await core.start();
  await waitFor(() => liveAt > 0, 120_000, 'the core to catch up');
  await profiler?.stop();
  await agent.call('renderer.close');
  await server.close();
  return { ms: liveAt - requests[0]!.start, cpuMs, cpuFromFirstMs, span, requests, core };
}

/**
 * CATCHUP_CPU_PROFILE=<dir>: a V8 CPU profile of this process from the core's start to "live"
 * (one .cpuprofile per round, for Chrome DevTools or bench/lib/profile-summary.ts).
 */
async function startProfile(): Promise<{ stop: () => Promise<void> } | null> {
  const dir = process.env.CATCHUP_CPU_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(dir, `catchup-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/**
 * The same GETs with the engine's request pattern, bodies read and dropped: the conversation
 * list first, then each conversation's pages in order, CATCH_UP_FETCHES conversations at once.
 */
async function download(requests: Request[], backendPid: number | undefined): Promise<{ ms: number; cpuMs: number; span: SpanCpu; bytes: number; pages: DownloadedPage[] }> {
  let bytes = 0;
  // The message pages' bodies, kept (not decoded) for the floor (bench/lib/catchup-floor.ts).
  const pages: DownloadedPage[] = [];
  const get = async (r: Request) => {
    const res = await fetch(r.url, { headers: { Accept: 'application/json', Authorization: r.authorization } });
    const body = await res.arrayBuffer();
    bytes += body.byteLength;
    const conversation = new URL(r.url).searchParams.get('conversationId');
    if (conversation !== null) pages.push({ conversation, body });
    if (!res.ok) throw new Error(`replaying ${r.url}: HTTP ${res.status}`);
  };
  const lists = requests.filter((r) => !new URL(r.url).searchParams.has('conversationId'));
  const chains = new Map<string, Request[]>();
  for (const r of requests) {
    const conversation = new URL(r.url).searchParams.get('conversationId');
    if (conversation !== null) chains.set(conversation, [...(chains.get(conversation) ?? []), r]);
  }
  const queue = [...chains.values()];
  const start = nowMs();
  const cpu = process.cpuUsage();
  const spanAt = cpuNow(backendPid);
  for (const r of lists) await get(r);
  let next = 0;
  const worker = async () => {
    while (next < queue.length) for (const r of queue[next++]!) await get(r);
  };
  await Promise.all(Array.from({ length: CATCH_UP_FETCHES }, worker));
  const used = process.cpuUsage(cpu);
  const span = cpuSince(spanAt, backendPid);
  return { ms: nowMs() - start, cpuMs: (used.user + used.system) / 1000, span, bytes, pages };
}

export const bench: Bench = {
  name: 'catchup',
  title: '6. Catch-up of 10,000 messages missed while offline vs downloading the pages',
  async run(ctx) {
    const missed = sized(ctx, 10_000, 500);
    const agent = Agent.start('backend');
    try {
      const info = await agent.call<BackendInfo>('backend.start');
      // An existing mirror: 50 conversations with some history, synced, then the app is closed.
      const existing = await agent.call<number[]>('backend.seed', { conversations: 50, messages: sized(ctx, 1_000, 100), existing: [] });
      const offline = mkdtempSync(join(ctx.work, 'catchup-offline-'));
      {
        const core = benchCore(offline, ctx.migrationsDir);
        let state: ConnectionState | null = null;
        core.events.subscribe((name, payload) => {
          if (name === 'connection.state') state = (payload as { state: ConnectionState }).state;
        });
        await core.start();
        await call(core, 'accounts.connect', { kind: 'portfolio', siteUrl: info.apiUrl, email: info.admin.email, password: info.admin.password });
        await waitFor(() => state === 'live', 60_000, 'the first sync');
        await core.close();
      }
      const before = new MirrorReader(offline);
      const accountId = 1;
      const initial = before.count(accountId);
      before.close();
      await agent.call('backend.seed', { conversations: 50, messages: missed, existing });
      const expected = initial + missed;

      const rounds = sized(ctx, 3, 1);
      const catchUps: number[] = [];
      const catchUpCpu: number[] = [];
      const catchUpCpuFromFirst: number[] = [];
      const downloads: number[] = [];
      const downloadCpu: number[] = [];
      const floors: FloorCpu[] = [];
      const catchUpSpans: SpanCpu[] = [];
      const downloadSpans: SpanCpu[] = [];
      let requests: Request[] = [];
      let bytes = 0;
      for (let r = 0; r < rounds; r++) {
        const dir = mkdtempSync(join(ctx.work, `catchup-round-${r}-`));
        cpSync(offline, dir, { recursive: true });
        const run = await catchUp(ctx, dir, agent);
        const reader = new MirrorReader(dir);
        const have = reader.count(accountId);
        reader.close();
        await run.core.close();
        if (have !== expected) throw new Error(`catch-up mirrored ${have} of ${expected} messages`);
        catchUps.push(run.ms);
        catchUpCpu.push(run.cpuMs);
        catchUpCpuFromFirst.push(run.cpuFromFirstMs);
        catchUpSpans.push(run.span);
        requests = run.requests;
        const d = await download(requests, agent.pid);
        downloadSpans.push(d.span);
        downloads.push(d.ms);
        downloadCpu.push(d.cpuMs);
        bytes = d.bytes;
        floors.push(measureFloor(offline, ctx.work, ctx.migrationsDir, accountId, d.pages));
        ctx.log(`round ${r + 1}/${rounds}: catch-up ${Math.round(run.ms)} ms (${requests.length} requests), download only ${Math.round(d.ms)} ms`);
      }
      const catchUpMs = median(catchUps);
      const downloadMs = median(downloads);
      return {
        figures: [
          figure({
            id: 'catchup.ms',
            name: `catch-up ${missed.toLocaleString('en')} msgs, fetched + mirrored`,
            value: round(catchUpMs),
            unit: 'ms',
            limit: round(1.3 * downloadMs),
            limitNote: `1.3 × download only ${Math.round(downloadMs)} ms`,
          }),
          figure({ id: 'catchup.download', name: 'download only (same requests)', value: round(downloadMs), unit: 'ms' }),
        ],
        info: {
          missed,
          mirrorBefore: initial,
          mirrorAfter: expected,
          requests: requests.length,
          pages: { conversationLists: requests.filter((r) => r.url.includes('/conversations')).length, messagePages: requests.filter((r) => r.url.includes('/messages')).length },
          bytes,
          catchUpMs: catchUps.map((x) => Math.round(x)),
          downloadMs: downloads.map((x) => Math.round(x)),
          // CPU of the core's process from start to live (connecting included): near the wall
          // time means the mirror's work, not the network, sets the pace.
          catchUpCpuMs: catchUpCpu.map((x) => Math.round(x)),
          // The same from the first REST request on (the span the figure times): less moved by
          // other work on the machine than the wall time.
          catchUpCpuFromFirstRequestMs: catchUpCpuFromFirst.map((x) => Math.round(x)),
          // This process's CPU while only downloading (fetch and reading the bodies), and the
          // ratio of the medians: what the mirror costs beyond the download, on any load.
          downloadCpuMs: downloadCpu.map((x) => Math.round(x)),
          cpuRatio: round(median(catchUpCpuFromFirst) / median(downloadCpu)),
          // What no engine avoids on the downloading thread, timed apart (bench/lib/catchup-floor.ts),
          // per round: parsing the pages, checking them, mirroring them; and download CPU + those
          // three against the download's wall time (the limit is 1.3).
          floorCpuMs: floors.map((f) => ({ parse: Math.round(f.parseMs), wire: Math.round(f.wireMs), mirror: Math.round(f.mirrorMs) })),
          floorRatio: round((median(downloadCpu) + median(floors.map((f) => f.parseMs + f.wireMs + f.mirrorMs))) / downloadMs),
          ratio: round(catchUpMs / downloadMs),
          // Per round, ms of CPU from the first request to live (catch-up) and over the download:
          // the core's main thread, the core's process (every thread), the backend's process.
          // The main thread is the catch-up's critical path; process + backend against 2 cores
          // × the wall time says whether the machine has room for it at all.
          catchUpThreadCpuMs: catchUpSpans.map((s) => ({ main: Math.round(s.main), process: Math.round(s.process), backend: Math.round(s.backend) })),
          downloadThreadCpuMs: downloadSpans.map((s) => ({ main: Math.round(s.main), process: Math.round(s.process), backend: Math.round(s.backend) })),
          concurrentConversations: CATCH_UP_FETCHES,
        },
      };
    } finally {
      await agent.call('backend.close').catch(() => undefined);
      await agent.stop();
    }
  },
};
