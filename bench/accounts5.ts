// 17. Five accounts of different kinds open at once (issue 15.6), each against its reference
// backend on loopback: portfolio (Pusher-protocol server + chat API, bench/lib/agent.ts), the
// portfolio site as deployed (session cookie, its own Pusher server), django-chat (real Django
// Channels under daphne), jwt-ws (bench/lib/jwt-ws-agent.ts) and openmanus (real Django backend,
// demo data). The accounts are connected once through browser mode and their first sync is
// left to finish; then browser mode is started again on that folder several times.
// Cold start keeps the definition of bench/coldstart.ts: from spawning `node out/main/web.js` to
// the first inbox page answered over the WebSocket (token exchange and socket opening included);
// the process is cold, the file cache warm. Also reported: the time until all five accounts are
// live again, and the core's RSS once they are and a first minute in the inbox is done.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { startDjangoBackend, type DjangoBackend } from '../backends/django/launcher/backend';
import { startOpenManus, type OpenManusProcess } from '../backends/openmanus/testing';
import { startDeployedBackend, type DeployedBackendHandle } from '../backends/portfolio/src/index';
import type { Account, ConversationSummary } from '../src/shared/domain';
import { ADMIN, formCookie } from './deployed';
import { builtWebEntry, sized, type Bench } from './lib/context';
import { Agent } from './lib/agent-client';
import type { BackendInfo } from './lib/agent';
import { JWT_WS_OWNER, type JwtWsInfo } from './lib/jwt-ws-agent';
import { figure, median, nowMs, round, sleep } from './lib/report';
import { WebClient, cpuMsOf, firstMinute, memoryOf, startWebApp } from './lib/web-client';

interface Sites {
  connects: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** The five reference backends with some history each, and the connect input for each. */
async function startSites(work: string, size: { conversations: number; messages: number }): Promise<Sites> {
  const portfolio = Agent.start('portfolio');
  const jwt = Agent.start('jwt-ws', 'jwt-ws-agent.ts');
  let deployed: DeployedBackendHandle | null = null;
  let django: DjangoBackend | null = null;
  let openmanus: OpenManusProcess | null = null;
  const stop = async () => {
    await Promise.allSettled([portfolio.stop(), jwt.stop(), deployed?.close(), django?.stop(), openmanus?.stop()]);
  };
  try {
    const [info, jwtInfo, site, dj, om] = await Promise.all([
      portfolio.call<BackendInfo>('backend.start'),
      // 50 rooms as in the jwtws bench: the server's rate limit (as deployed) stops a first sync of 100.
      jwt.call<JwtWsInfo>('jwtws.start', { rooms: Math.min(size.conversations, 50) }),
      startDeployedBackend({ port: 0, pusherPort: 0, dataDir: mkdtempSync(join(work, 'accounts5-deployed-')), admin: ADMIN, ai: false, autoReplyDelayMs: 0 }),
      startDjangoBackend({ seedDemo: true, students: size.conversations }),
      startOpenManus({ dataDir: mkdtempSync(join(work, 'accounts5-openmanus-')), seedDemo: true }),
    ]);
    deployed = site;
    django = dj;
    openmanus = om;
    await portfolio.call('backend.seed', { conversations: size.conversations, messages: size.messages, existing: [] });
    const store = site.api.store;
    store.db.transaction(() => {
      for (let i = 0; i < size.conversations; i++) {
        const conv = store.createConversation(`bench-${i}`, `Visitor ${i}`, null, i % 10 === 0 ? 'resolved' : 'active');
        for (let j = 0; j < 3; j++) store.addMessage(conv.id, j === 1 ? 'admin' : 'visitor', j === 1 ? site.admin!.id : null, `message ${j} of conversation ${i}`, true);
      }
    })();
    const connects = [
      { kind: 'portfolio', siteUrl: info.apiUrl, email: info.admin.email, password: info.admin.password },
      { kind: 'portfolio', siteUrl: site.apiUrl, sessionCookie: await formCookie(site), pusherKey: site.pusher.key, pusherCluster: site.pusher.cluster, pusherServer: `ws://${site.pusher.host}:${site.pusher.port}` },
      { kind: 'django-chat', siteUrl: dj.url, login: dj.seed!.teacher.username, password: dj.seed!.teacher.password },
      { kind: 'jwt-ws', siteUrl: jwtInfo.url, ...JWT_WS_OWNER },
      { kind: 'openmanus', siteUrl: om.api, token: await om.mint(3600) },
    ];
    return { connects, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const allLive = async (client: WebClient): Promise<Account[] | null> => {
  const accounts = await client.invoke<Account[]>('accounts.list');
  return accounts.length === 5 && accounts.every((a) => a.connectionState === 'live') ? accounts : null;
};

/** Polls the core until every account is live (the contract has no push for it over this client). */
async function waitAllLive(client: WebClient, timeoutMs: number): Promise<Account[]> {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    const live = await allLive(client);
    if (live) return live;
    if (nowMs() > deadline) {
      const accounts = await client.invoke<Account[]>('accounts.list');
      throw new Error(`not every account went live in ${timeoutMs} ms: ${accounts.map((a) => `${a.kind} ${a.connectionState} ${a.stateDetail ?? ''}`).join('; ')}`);
    }
    await sleep(20);
  }
}

/** Spawn → first inbox page on `dataDir`, and the process's CPU time by then. */
async function firstPageOf(entry: string, dataDir: string): Promise<{ firstPage: number; cpuMs: number }> {
  const t0 = nowMs();
  const app = await startWebApp(entry, dataDir, nowMs);
  try {
    const client = await WebClient.connect(app.url);
    await client.invoke('conversations.page', { filter: 'active', limit: 100 });
    const firstPage = nowMs() - t0;
    const cpuMs = cpuMsOf(app.process.pid!);
    client.close();
    return { firstPage: round(firstPage), cpuMs };
  } finally {
    await app.stop();
  }
}

export const bench: Bench = {
  name: 'accounts5',
  title: '17. Five accounts of different kinds at once: cold start to the first inbox page; core RSS',
  async run(ctx) {
    const entry = builtWebEntry(ctx.root);
    const size = sized(ctx, { conversations: 100, messages: 10_000 }, { conversations: 10, messages: 200 });
    const runs = sized(ctx, 5, 2);
    const sites = await startSites(ctx.work, size);
    const dataDir = mkdtempSync(join(ctx.work, 'accounts5-console-'));
    try {
      // Once: the five accounts connected and their first sync done, as after setting them up.
      const setupStart = nowMs();
      const setup = await startWebApp(entry, dataDir, nowMs);
      let mirrored = 0;
      try {
        const client = await WebClient.connect(setup.url);
        for (const input of sites.connects) await client.invoke('accounts.connect', input);
        await waitAllLive(client, 180_000);
        // The first sync is over when the mirror stops growing (live comes after the catch-up).
        let last = -1;
        for (;;) {
          const page = await client.invoke<{ counts: { all: number } }>('conversations.page', { filter: 'all', limit: 1 });
          if (page.counts.all === last) break;
          last = page.counts.all;
          await sleep(1000);
        }
        mirrored = last;
        client.close();
      } finally {
        await setup.stop();
      }
      const setupMs = nowMs() - setupStart;
      ctx.log(`five accounts connected and synced in ${Math.round(setupMs)} ms (${mirrored} conversations)`);

      // Beside each start, one on a folder with no account, interleaved: the same machine load,
      // without the five accounts' work (what the accounts add to a start is the difference).
      const emptyDir = mkdtempSync(join(ctx.work, 'accounts5-empty-'));
      await (await startWebApp(entry, emptyDir, nowMs)).stop();
      const starts: { firstPage: number; cpuMs: number; allLive: number; printed: number }[] = [];
      const empty: { firstPage: number; cpuMs: number }[] = [];
      let memory = { rssMb: 0, peakMb: 0 };
      let kinds: string[] = [];
      for (let r = 0; r < runs; r++) {
        empty.push(await firstPageOf(entry, emptyDir));
        const t0 = nowMs();
        const app = await startWebApp(entry, dataDir, nowMs);
        try {
          const client = await WebClient.connect(app.url);
          const page = await client.invoke<{ items: ConversationSummary[] }>('conversations.page', { filter: 'active', limit: 100 });
          const firstPage = nowMs() - t0;
          const cpuMs = cpuMsOf(app.process.pid!);
          const accounts = await waitAllLive(client, 60_000);
          const allLiveMs = nowMs() - t0;
          kinds = accounts.map((a) => a.kind);
          // A first minute in the inbox, as in coldstart: a conversation, its older page, searches.
          await firstMinute(client, page.items[0]!.id, ['terima kasih', 'message']);
          const m = memoryOf(app.process.pid!);
          memory = { rssMb: Math.max(memory.rssMb, m.rssMb), peakMb: Math.max(memory.peakMb, m.peakMb) };
          starts.push({ firstPage, cpuMs, allLive: allLiveMs, printed: app.printedAt - t0 });
          client.close();
        } finally {
          await app.stop();
        }
        ctx.log(`run ${r + 1}/${runs}: first inbox page ${Math.round(starts.at(-1)!.firstPage)} ms (no account: ${Math.round(empty.at(-1)!.firstPage)} ms), all five live ${Math.round(starts.at(-1)!.allLive)} ms after spawn`);
      }
      return {
        figures: [
          figure({ id: 'accounts5.coldstart', name: `cold start → first inbox page, 5 accounts of 5 kinds, median of ${runs}`, value: round(median(starts.map((s) => s.firstPage))), unit: 'ms', limit: 300 }),
          figure({ id: 'accounts5.coldstart.empty', name: '  the same, no account (interleaved, same load), median', value: round(median(empty.map((s) => s.firstPage))), unit: 'ms' }),
          figure({ id: 'accounts5.coldstart.cpu', name: '  core CPU time until that page, 5 accounts, median', value: round(median(starts.map((s) => s.cpuMs))), unit: 'ms' }),
          figure({ id: 'accounts5.live', name: 'spawn → all five accounts live again, median', value: round(median(starts.map((s) => s.allLive))), unit: 'ms' }),
          figure({ id: 'accounts5.rss', name: 'core RSS, five accounts live, after first use', value: memory.rssMb, unit: 'MB', limit: 200 }),
          figure({ id: 'accounts5.peak', name: 'core peak RSS (VmHWM)', value: memory.peakMb, unit: 'MB' }),
        ],
        info: {
          kinds,
          runs: starts.map((s, i) => ({ firstPage: Math.round(s.firstPage), cpuMs: s.cpuMs, allLive: Math.round(s.allLive), urlPrinted: Math.round(s.printed), noAccount: empty[i] })),
          conversationsMirrored: mirrored,
          seeded: size,
          setupMs: Math.round(setupMs),
        },
      };
    } finally {
      await sites.stop();
    }
  },
};
