// 10. The portfolio site as deployed (`--as-deployed`, issue 17): no paging, no cursors, no
// `after=`, so the lists come whole per status and a history is fetched whole. A site with 500
// conversations (1,500 messages): the first sync (connect → every conversation mirrored) and a
// catch-up after the console was closed while a few conversations changed. The figures are the
// REST requests the console made and the time each took; the request limits are what "bounded"
// means here: 3 lists + the sign-in probes + one history per conversation on the first sync, and
// the lists + one history per changed conversation on a catch-up (never one per conversation).
// Real HTTP against the reference site, real pusher-js, real SQLite; three catch-up rounds.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { startDeployedBackend, type DeployedBackendHandle } from '../backends/portfolio/src/index';
import type { ConnectionState } from '../src/shared/domain';
import { sized, type Bench, type BenchContext } from './lib/context';
import { benchCore, call } from './lib/core';
import { MirrorReader } from './lib/mirror-read';
import { figure, median, nowMs, round, waitFor } from './lib/report';

export const ADMIN = { email: 'owner@example.com', password: 'bench site password', name: 'Owner' };
const MESSAGES_PER_CONVERSATION = 3;
const CHANGED = 5;
const ROUNDS = 3;

/** Counts the console's requests by method and path (lists by status). */
function countingFetch(): { fetch: typeof fetch; counts: Map<string, number>; total(): number; reset(): void } {
  const counts = new Map<string, number>();
  const wrapped: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const status = url.searchParams.get('status');
    const key = `${init?.method ?? 'GET'} ${url.pathname}${status ? `?status=${status}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return fetch(input, init);
  };
  return { fetch: wrapped, counts, total: () => [...counts.values()].reduce((a, b) => a + b, 0), reset: () => counts.clear() };
}

/** The site's message ids per conversation, as the mirror keeps them (remote ids as strings). */
function siteIds(site: DeployedBackendHandle): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of site.api.listAllMessages()) (out[String(m.conversationId)] ??= []).push(String(m.id));
  return out;
}

const sameIds = (a: Record<string, string[]>, b: Record<string, string[]>): boolean => {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => JSON.stringify([...(a[k] ?? [])].sort()) === JSON.stringify([...(b[k] ?? [])].sort()));
};

export async function formCookie(site: DeployedBackendHandle): Promise<string> {
  const res = await fetch(site.loginUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }).toString(),
    redirect: 'manual',
  });
  const cookie = /admin_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error(`the site's /admin/login set no admin_session cookie (HTTP ${res.status})`);
  return cookie;
}

/** Waits until the core says live and its mirror holds exactly the site's messages. */
async function synced(dataDir: string, accountId: () => number | null, isLive: () => boolean, site: DeployedBackendHandle, what: string): Promise<void> {
  const want = siteIds(site);
  const reader = new MirrorReader(dataDir);
  try {
    await waitFor(() => {
      const id = accountId();
      return id !== null && isLive() && sameIds(reader.snapshot(id), want);
    }, 180_000, what, 10);
  } finally {
    reader.close();
  }
}

export const bench: Bench = {
  name: 'deployed',
  title: 'A site as deployed: first sync and catch-up of 500 conversations',
  async run(ctx: BenchContext) {
    const conversations = sized(ctx, 500, 50);
    const siteDir = mkdtempSync(join(ctx.work, 'deployed-site-'));
    const site = await startDeployedBackend({ port: 0, pusherPort: 0, dataDir: siteDir, admin: ADMIN, ai: false, autoReplyDelayMs: 0 });
    try {
      const store = site.api.store;
      const adminId = site.admin!.id;
      store.db.transaction(() => {
        for (let i = 0; i < conversations; i++) {
          const conv = store.createConversation(`bench-${i}`, `Visitor ${i}`, null, i % 10 === 0 ? 'resolved' : i % 25 === 0 ? 'closed' : 'active');
          for (let j = 0; j < MESSAGES_PER_CONVERSATION; j++) store.addMessage(conv.id, j === 1 ? 'admin' : 'visitor', j === 1 ? adminId : null, `message ${j} of conversation ${i}`, true);
        }
      })();
      ctx.log(`site with ${conversations} conversations, ${conversations * MESSAGES_PER_CONVERSATION} messages`);

      const dataDir = mkdtempSync(join(ctx.work, 'deployed-console-'));
      const realtime = { pusherKey: site.pusher.key, pusherCluster: site.pusher.cluster, pusherServer: `ws://${site.pusher.host}:${site.pusher.port}` };
      let accountId: number | null = null;

      const startCore = (counter: ReturnType<typeof countingFetch>) => {
        const core = benchCore(dataDir, ctx.migrationsDir, { fetch: counter.fetch });
        let live = false;
        core.events.subscribe((name, payload) => {
          if (name === 'connection.state') live = (payload as { state: ConnectionState }).state === 'live';
        });
        return { core, isLive: () => live };
      };

      // First sync: the form's connect (detection, the cookie check) to every conversation mirrored.
      const firstCounter = countingFetch();
      const first = startCore(firstCounter);
      await first.core.start();
      const cookie = await formCookie(site);
      const firstStart = nowMs();
      accountId = (await call<{ id: number }>(first.core, 'accounts.connect', { kind: 'portfolio', siteUrl: site.apiUrl, sessionCookie: cookie, ...realtime })).id;
      await synced(dataDir, () => accountId, first.isLive, site, 'the first sync');
      const firstMs = nowMs() - firstStart;
      const firstRequests = firstCounter.total();
      const firstBreakdown = Object.fromEntries(firstCounter.counts);
      await first.core.close();
      ctx.log(`first sync: ${round(firstMs)} ms, ${firstRequests} requests ${JSON.stringify(firstBreakdown)}`);

      // Catch-up: the console is closed, a few visitors write, the console starts again.
      const catchUpMs: number[] = [];
      const catchUpRequests: number[] = [];
      let catchUpBreakdown: Record<string, number> = {};
      const active = store.conversationsWithStatus('active');
      for (let round_ = 0; round_ < ROUNDS; round_++) {
        for (const conv of active.slice(round_ * CHANGED, (round_ + 1) * CHANGED)) {
          const res = await fetch(`${site.apiUrl}/api/chat/send`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ conversationId: conv.id, content: `while you were away (${round_})`, visitorId: conv.visitor_id }),
          });
          if (!res.ok) throw new Error(`the visitor's message was refused: HTTP ${res.status}`);
        }
        const counter = countingFetch();
        const again = startCore(counter);
        const start = nowMs();
        await again.core.start();
        await synced(dataDir, () => accountId, again.isLive, site, `catch-up round ${round_ + 1}`);
        catchUpMs.push(nowMs() - start);
        catchUpRequests.push(counter.total());
        catchUpBreakdown = Object.fromEntries(counter.counts);
        await again.core.close();
        ctx.log(`catch-up ${round_ + 1}: ${round(catchUpMs.at(-1)!)} ms, ${counter.total()} requests ${JSON.stringify(catchUpBreakdown)}`);
      }

      // 3 lists, 2 flavour probes, 1 cookie check, 2 channel auths and one whole history per conversation; 4 to spare.
      const firstLimit = conversations + 3 + 3 + 2 + 4;
      // The lists (twice at most: the start and a re-check once live), 2 channel auths, one history per changed conversation.
      const catchUpLimit = CHANGED + 2 * 3 + 2 + 2;
      return {
        figures: [
          figure({ id: 'deployed.first.requests', name: `first sync, ${conversations} conversations: requests`, value: firstRequests, unit: 'requests', limit: firstLimit, limitNote: `${conversations} histories + 3 lists + 3 sign-in + 2 auth + 4` }),
          figure({ id: 'deployed.first.ms', name: `first sync, ${conversations} conversations: time`, value: round(firstMs), unit: 'ms', limit: 5_000 }),
          figure({
            id: 'deployed.catchup.requests',
            name: `catch-up, ${CHANGED} of ${conversations} changed: requests`,
            value: Math.max(...catchUpRequests),
            unit: 'requests',
            limit: catchUpLimit,
            limitNote: `${CHANGED} histories + 2 × 3 lists + 2 auth + 2`,
          }),
          figure({ id: 'deployed.catchup.ms', name: `catch-up, ${CHANGED} of ${conversations} changed: time (median of ${ROUNDS})`, value: round(median(catchUpMs)), unit: 'ms', limit: 1_000 }),
        ],
        info: {
          conversations,
          messages: conversations * MESSAGES_PER_CONVERSATION,
          changedPerRound: CHANGED,
          firstBreakdown,
          lastCatchUpBreakdown: catchUpBreakdown,
          catchUpMs: catchUpMs.map((ms) => round(ms)),
          catchUpRequests,
        },
      };
    } finally {
      await site.close();
    }
  },
};
