// A helper process for the live, catch-up and load benchmarks, driven over IPC by the benchmark
// process (which hosts the core, so the core's event loop carries nothing else):
//   - the reference backend (Pusher-protocol server + chat API), with the moment the Pusher
//     server hands each chat frame to a socket recorded (the start of the live path);
//   - a bare WebSocket echo server (the loopback round trip the live figures stand beside);
//   - simulated visitors sending over the chat API at a paced rate;
//   - a renderer: a WebSocket client of browser mode that notes when each event arrives.
// Timestamps are process.hrtime (CLOCK_MONOTONIC), which every process on the machine shares.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { DEMO_ADMIN, startChatApi, startPusherServer, type ChatApiHandle, type PusherServerHandle } from '../../backends/portfolio/src/index';
import { runBurst, type BurstOptions, type BurstTarget } from './burst';
import { Rng, language, messageText, visitor, type Language } from './data';
import { serveAgent } from './agent-serve';
import { nowMs, sleep } from './report';
import { openBrowserModeSocket } from './web-client';

export interface BackendInfo {
  apiUrl: string;
  admin: { email: string; password: string };
  pusher: { key: string; cluster: string; wsHost: string; wsPort: number; forceTLS: boolean };
  /** For the burst generator (bench/lib/burst.ts), which writes and triggers from its own process. */
  burst: BurstTarget;
}

export interface Frames {
  /** Message id → when its new-message frame was handed to a socket (ms, monotonic). */
  newMessage: [number, number][];
  /** Conversation id and when a new-message-alert frame for it was handed to a socket. */
  alerts: [number, number][];
}

export interface SendPhase {
  /** Messages per second over all visitors. */
  rate: number;
  durationMs: number;
  /** Sequential: a visitor waits for its previous message (a person typing). Otherwise bounded by maxInFlight. */
  sequential: boolean;
  maxInFlight?: number;
  /** Share of the messages the first visitor sends (the conversation open on screen). */
  firstVisitorShare?: number;
}

export interface SendResult {
  sent: number;
  failed: number;
  errors: string[];
  /** Per phase: messages acknowledged, and from the phase's start to its last acknowledgement. */
  phases: { acked: number; ms: number; rate: number; lateStartsMs: number }[];
  /** Message ids per conversation in the order the API acknowledged them. */
  byConversation: Record<string, number[]>;
}

interface Session {
  token: string;
  conversationId: number | null;
  name: string;
  email: string | null;
  lang: Language;
}

type Handler = (args: never) => unknown;

function state() {
  let backend: { pusher: PusherServerHandle; api: ChatApiHandle; dir: string } | null = null;
  const backendLog: string[] = [];
  let echo: WebSocketServer | null = null;
  let recording = false;
  const frames: Frames = { newMessage: [], alerts: [] };
  let sessions: Session[] = [];
  let apiUrl = '';
  const rng = new Rng(17);
  let renderer: WebSocket | null = null;
  const received = new Map<string, number>();
  let rendererFrames = 0;

  // The Pusher server writes frames through ws; note the moment it hands ours over. Chat frames
  // look like {"event":"new-message","channel":"private-conversation-7","data":"{\"id\":42,...
  const originalSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function patchedSend(this: WebSocket, data: unknown, ...rest: unknown[]) {
    if (recording && typeof data === 'string') {
      if (data.startsWith('{"event":"new-message","channel"')) {
        const id = /\\"id\\":(\d+)/.exec(data)?.[1];
        if (id) frames.newMessage.push([Number(id), nowMs()]);
      } else if (data.startsWith('{"event":"new-message-alert"')) {
        const conversationId = /\\"conversationId\\":(\d+)/.exec(data)?.[1];
        if (conversationId) frames.alerts.push([Number(conversationId), nowMs()]);
      }
    }
    return (originalSend as (...a: unknown[]) => void).apply(this, [data, ...rest]);
  } as typeof WebSocket.prototype.send;

  const post = async (path: string, body: unknown, token?: string): Promise<{ status: number; json: { success: boolean; data?: Record<string, unknown>; error?: string } }> => {
    const res = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Session-Token': token } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { success: boolean; data?: Record<string, unknown>; error?: string } };
  };

  async function sendOne(s: Session): Promise<{ messageId: number; conversationId: number }> {
    for (let attempt = 0; ; attempt++) {
      const { status, json } = await post('/api/chat/send', { conversationId: s.conversationId, content: messageText(rng, s.lang), visitorName: s.name, ...(s.email ? { visitorEmail: s.email } : {}) }, s.token);
      if ((status === 503 || status === 429) && attempt < 50) {
        await sleep(50);
        continue;
      }
      if (!json.success || !json.data) throw new Error(`send failed: ${status} ${json.error ?? ''}`);
      s.conversationId = Number(json.data.conversationId);
      return { messageId: Number(json.data.messageId), conversationId: s.conversationId };
    }
  }

  const handlers: Record<string, Handler> = {
    hrtime: () => nowMs(),

    'backend.start': async ({ extensions = true }: { extensions?: boolean }) => {
      const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-backend-'));
      const app = { id: 'portfolio', key: 'portfolio-key', secret: 'bench-secret-0123456789' };
      const pusher = await startPusherServer({ host: '127.0.0.1', port: 0, apps: [{ ...app, enableClientEvents: true }] });
      const api = await startChatApi({
        host: '127.0.0.1',
        port: 0,
        dataDir: dir,
        pusher: { appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1', port: pusher.port },
        admin: { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password, name: DEMO_ADMIN.name },
        extensions,
        // A load test, not an abuse test: the per-visitor limit would only make it slower.
        visitorRateLimit: { max: 1_000_000_000, windowMs: 60_000 },
        loginRateLimit: { max: 1_000_000, windowMs: 60_000 },
        presenceSyncMs: 0,
        log: (message: string) => {
          if (backendLog.length < 20_000) backendLog.push(message);
        },
      });
      pusher.setWebhooks(app.id, [`${api.url}/api/pusher/webhook`]);
      backend = { pusher, api, dir };
      apiUrl = api.url;
      const info: BackendInfo = {
        apiUrl: api.url,
        admin: { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password },
        pusher: { key: app.key, cluster: 'mt1', wsHost: '127.0.0.1', wsPort: pusher.port, forceTLS: false },
        burst: { dbFile: join(dir, 'portfolio.sqlite'), pusher: { appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1', port: pusher.port } },
      };
      return info;
    },

    'backend.close': async () => {
      if (!backend) return null;
      await backend.pusher.close();
      await backend.api.close();
      rmSync(backend.dir, { recursive: true, force: true });
      backend = null;
      return null;
    },

    /** Messages straight into the backend's database (the core is offline, nothing to trigger). */
    'backend.seed': ({ conversations, messages, existing }: { conversations: number; messages: number; existing: number[] }) => {
      if (!backend) throw new Error('no backend');
      const { db, q } = backend.api.chatDb;
      const ids = [...existing];
      const seedRng = new Rng(23);
      db.transaction(() => {
        const now = new Date().toISOString();
        for (let i = 0; i < conversations; i++) {
          const v = visitor(seedRng);
          ids.push(Number(q.insertConversation.run(`bench-visitor-${i}`, v.name, v.email, 'active', now, now, now).lastInsertRowid));
        }
        for (let i = 0; i < messages; i++) {
          const at = new Date().toISOString();
          // Some conversations were busy while the console was away, most were not.
          const conversationId = ids[Math.floor(ids.length * Math.pow(seedRng.next(), 2))]!;
          const admin = seedRng.chance(0.4);
          q.insertMessage.run(conversationId, admin ? 'admin' : 'visitor', admin ? 1 : null, messageText(seedRng, language(seedRng)), 0, null, null, at);
          q.setLastMessage.run(at, at, conversationId);
        }
      })();
      return ids;
    },

    /** Every message id the backend holds, per conversation, in id order. */
    'backend.snapshot': () => {
      if (!backend) throw new Error('no backend');
      const out: Record<string, number[]> = {};
      for (const m of backend.api.listAllMessages()) (out[String(m.conversationId)] ??= []).push(m.id);
      return out;
    },

    /** What the chat API logged (a failed Pusher trigger is a message stored but never announced). */
    'backend.log': () => backendLog,

    'frames.record': ({ on }: { on: boolean }) => {
      recording = on;
      if (on) {
        frames.newMessage = [];
        frames.alerts = [];
      }
      return null;
    },
    'frames.take': () => frames,

    'echo.start': async () => {
      echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      echo.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
      await new Promise<void>((resolve) => echo!.once('listening', () => resolve()));
      return (echo.address() as AddressInfo).port;
    },

    'visitors.open': async ({ apiUrl: url, count }: { apiUrl: string; count: number }) => {
      apiUrl = url;
      sessions = [];
      for (let i = 0; i < count; i++) {
        const { json } = await post('/api/chat/session', {});
        const v = visitor(rng);
        sessions.push({ token: String(json.data!.sessionToken), conversationId: null, name: v.name, email: v.email, lang: language(rng) });
      }
      // The first message opens each conversation.
      const ids: number[] = [];
      for (const s of sessions) ids.push((await sendOne(s)).conversationId);
      return ids;
    },

    'visitors.run': async ({ phases }: { phases: SendPhase[] }) => {
      const result: SendResult = { sent: 0, failed: 0, errors: [], phases: [], byConversation: {} };
      const busy = new Map<Session, Promise<unknown>>();
      let inFlight = 0;
      for (const phase of phases) {
        const count = Math.round((phase.rate * phase.durationMs) / 1000);
        const interval = 1000 / phase.rate;
        const start = nowMs();
        let acked = 0;
        let lastAck = start;
        let lateStarts = 0;
        const pending: Promise<void>[] = [];
        for (let k = 0; k < count; k++) {
          const due = start + k * interval;
          const wait = due - nowMs();
          if (wait > 1) await sleep(wait);
          const first = phase.firstVisitorShare ?? 0;
          const s = first > 0 && rng.chance(first) ? sessions[0]! : sessions[first > 0 ? 1 + (k % (sessions.length - 1)) : k % sessions.length]!;
          const previous = phase.sequential ? busy.get(s) : undefined;
          while (!phase.sequential && inFlight >= (phase.maxInFlight ?? 256)) await sleep(1);
          inFlight++;
          const p = (async () => {
            if (previous) await previous;
            lateStarts = Math.max(lateStarts, nowMs() - due);
            try {
              const r = await sendOne(s);
              (result.byConversation[String(r.conversationId)] ??= []).push(r.messageId);
              result.sent++;
              acked++;
              lastAck = nowMs();
            } catch (error) {
              result.failed++;
              if (result.errors.length < 5) result.errors.push(error instanceof Error ? error.message : String(error));
            } finally {
              inFlight--;
            }
          })();
          if (phase.sequential) busy.set(s, p);
          pending.push(p);
        }
        await Promise.all(pending);
        const ms = lastAck - start;
        result.phases.push({ acked, ms: Math.round(ms), rate: Math.round((acked / Math.max(ms, 1)) * 1000), lateStartsMs: Math.round(lateStarts) });
      }
      return result;
    },

    /** A burst into the conversations the visitors opened, straight to the backend's database and Pusher server. */
    'burst.run': (options: Omit<BurstOptions, 'conversationIds'>) => {
      const conversationIds = sessions.flatMap((s) => (s.conversationId === null ? [] : [s.conversationId]));
      return runBurst({ ...options, conversationIds });
    },

    'renderer.connect': async ({ url }: { url: string }) => {
      const ws = await openBrowserModeSocket(url);
      ws.on('message', (data) => {
        const at = nowMs();
        rendererFrames++;
        const text = String(data);
        if (!text.startsWith('{"type":"event","name":"messages.added"')) return;
        const event = JSON.parse(text) as { payload: { messages: { remoteId: string | null }[] } };
        for (const m of event.payload.messages) if (m.remoteId && !received.has(m.remoteId)) received.set(m.remoteId, at);
      });
      renderer = ws;
      return null;
    },
    /**
     * The renderer opens conversations (local ids) as the inbox does, by loading their first page
     * over its socket: the transport forwards message events only for conversations a page loaded.
     */
    'renderer.show': async ({ conversationIds }: { conversationIds: number[] }) => {
      const ws = renderer;
      if (!ws) throw new Error('renderer.show before renderer.connect');
      for (const [k, conversationId] of conversationIds.entries()) {
        const id = 1_000_000 + k;
        await new Promise<void>((resolve, reject) => {
          const onFrame = (data: unknown) => {
            const message = JSON.parse(String(data)) as { type: string; id?: number; ok?: boolean };
            if (message.type !== 'result' || message.id !== id) return;
            ws.off('message', onFrame);
            if (message.ok) resolve();
            else reject(new Error(`messages.page ${conversationId} failed`));
          };
          ws.on('message', onFrame);
          ws.send(JSON.stringify({ type: 'invoke', id, method: 'messages.page', input: { conversationId, limit: 50 } }));
        });
      }
      return null;
    },
    'renderer.take': () => ({ received: [...received], frames: rendererFrames }),
    'renderer.close': () => {
      renderer?.close();
      renderer = null;
      return null;
    },
  };
  return handlers;
}

serveAgent(state());
