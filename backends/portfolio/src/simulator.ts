// Visitor simulator: N visitors that chat over the same REST + pusher-js path as the widget.
import { randomUUID } from 'node:crypto';
import PusherJS from 'pusher-js';
import type { Channel } from 'pusher-js';

export interface SimulatorOptions {
  apiUrl: string;
  /** Realtime settings; fetched from GET /api/chat/config when omitted. */
  pusher?: { key: string; wsHost: string; wsPort: number; cluster?: string; forceTLS?: boolean };
  visitors: number;
  /** Pause between a visitor's messages (default 2-8 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Messages each visitor sends on its own initiative (default: unlimited). */
  messages?: number;
  /** Reply when the admin writes (default true). */
  replyToAdmin?: boolean;
  /** Names for the visitors (defaults to a built-in list). */
  names?: string[];
  log?: (line: string) => void;
}

export interface SimulatedVisitorInfo {
  name: string;
  sessionToken: string;
  conversationId: number | null;
  connected: boolean;
}

export interface SimulatorStats {
  visitors: number;
  conversations: number[];
  sent: number;
  received: number;
  readReceiptsSent: number;
  readReceiptsReceived: number;
  typingSent: number;
  typingReceived: number;
  errors: number;
  rateLimited: number;
}

export interface SimulatorHandle {
  stop(): Promise<void>;
  stats(): SimulatorStats;
  visitors(): SimulatedVisitorInfo[];
  /** Resolves once every visitor has a conversation and is subscribed to it. */
  ready(): Promise<void>;
}

export const NAMES = ['Rina', 'Tom Becker', 'Sari Wulandari', 'Kenji', 'Maya Putri', 'Lucas', 'Ayu', 'Noah', 'Fatima', 'Joko'];
export const OPENERS = [
  'Hi! I really like your portfolio.',
  'Hello, are you open to freelance projects?',
  'Halo! Saya mau tanya soal jasa pembuatan website.',
  'Hey, quick question about one of your case studies.',
  'Good afternoon! Do you build mobile apps too?',
];
export const FOLLOW_UPS = [
  'What does your usual timeline look like?',
  'Do you work with Next.js and TypeScript?',
  'Our budget is flexible for the right fit.',
  'Could you share a rough price range?',
  'Is it possible to schedule a short call?',
  'We would need it live before the end of the quarter.',
  'Thanks! That helps a lot.',
  'Do you also handle hosting and maintenance?',
];
export const REPLIES = ['Thanks for the quick answer!', 'Sounds good.', 'Great, that works for me.', 'Ok, let me check with my team.', 'Perfect 👍'];

export function pick<T>(list: T[]): T {
  return list[Math.floor(Math.random() * list.length)] as T;
}

interface SendResult {
  conversationId: number;
}

export async function startSimulator(opts: SimulatorOptions): Promise<SimulatorHandle> {
  const api = opts.apiUrl.replace(/\/+$/, '');
  const minDelay = opts.minDelayMs ?? 2000;
  const maxDelay = Math.max(minDelay, opts.maxDelayMs ?? 8000);
  const limit = opts.messages ?? Number.POSITIVE_INFINITY;
  const replyToAdmin = opts.replyToAdmin !== false;
  const log = opts.log ?? (() => undefined);
  const names = opts.names ?? NAMES;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((r) => {
      const t = setTimeout(() => {
        timers.delete(t);
        r();
      }, ms);
      timers.add(t);
    });
  const stats: SimulatorStats = {
    visitors: opts.visitors,
    conversations: [],
    sent: 0,
    received: 0,
    readReceiptsSent: 0,
    readReceiptsReceived: 0,
    typingSent: 0,
    typingReceived: 0,
    errors: 0,
    rateLimited: 0,
  };

  let pusherCfg = opts.pusher;
  if (!pusherCfg) {
    const res = await fetch(`${api}/api/chat/config`);
    const body = (await res.json()) as { data: { pusher: { key: string; wsHost: string; wsPort: number; cluster: string; forceTLS: boolean } } };
    pusherCfg = body.data.pusher;
  }
  const cfg = pusherCfg;

  interface Visitor {
    info: SimulatedVisitorInfo;
    client: PusherJS | null;
    channel: Channel | null;
    readyResolve: () => void;
    ready: Promise<void>;
  }

  async function call<T>(path: string, init: RequestInit & { token?: string }): Promise<{ status: number; body: { success: boolean; data: T; error?: string } }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (init.token) headers['X-Session-Token'] = init.token;
    const res = await fetch(`${api}${path}`, { ...init, headers });
    const body = (await res.json()) as { success: boolean; data: T; error?: string };
    return { status: res.status, body };
  }

  function subscribe(v: Visitor, conversationId: number): void {
    if (v.channel || stopped) return;
    const client = new PusherJS(cfg.key, {
      cluster: cfg.cluster ?? 'mt1',
      wsHost: cfg.wsHost,
      wsPort: cfg.wsPort,
      wssPort: cfg.wsPort,
      forceTLS: cfg.forceTLS ?? false,
      enabledTransports: ['ws'],
      disableStats: true,
      channelAuthorization: {
        endpoint: `${api}/api/pusher/auth`,
        transport: 'ajax',
        headers: { 'X-Session-Token': v.info.sessionToken },
      },
    });
    v.client = client;
    client.connection.bind('state_change', (s: { current: string }) => {
      v.info.connected = s.current === 'connected';
    });
    const channel = client.subscribe(`private-conversation-${conversationId}`);
    v.channel = channel;
    // Presence lets the backend tell admins the visitor is online (see backends/README.md).
    client.subscribe(`presence-conversation-${conversationId}`);
    channel.bind('pusher:subscription_succeeded', () => v.readyResolve());
    channel.bind('new-message', (m: { id: number; senderType: string; content: string }) => {
      if (m.senderType !== 'admin') return;
      stats.received++;
      void (async () => {
        await sleep(300 + Math.random() * 700);
        if (stopped) return;
        const r = await call('/api/chat/messages/read', {
          method: 'POST',
          token: v.info.sessionToken,
          body: JSON.stringify({ conversationId, messageIds: [m.id] }),
        }).catch(() => null);
        if (r && r.status === 200) stats.readReceiptsSent++;
        if (replyToAdmin) {
          await sleep(minDelay / 2 + Math.random() * (maxDelay - minDelay) / 2);
          if (!stopped) await say(v, pick(REPLIES));
        }
      })();
    });
    channel.bind('message-read', () => {
      stats.readReceiptsReceived++;
    });
    channel.bind('client-typing', () => {
      stats.typingReceived++;
    });
  }

  function typing(v: Visitor, isTyping: boolean): void {
    if (!v.channel || !v.channel.subscribed) return;
    if (v.channel.trigger('client-typing', { senderType: 'visitor', isTyping })) stats.typingSent++;
  }

  async function say(v: Visitor, text: string): Promise<void> {
    if (stopped) return;
    try {
      typing(v, true);
      await sleep(Math.min(3000, 250 + text.length * 35));
      if (stopped) return;
      const r = await call<SendResult>('/api/chat/send', {
        method: 'POST',
        token: v.info.sessionToken,
        body: JSON.stringify({
          conversationId: v.info.conversationId,
          content: text,
          visitorName: v.info.name,
          clientMessageId: randomUUID(),
        }),
      });
      typing(v, false);
      if (r.status === 429) {
        stats.rateLimited++;
        return;
      }
      if (r.status !== 201 && r.status !== 200) {
        stats.errors++;
        log(`simulator: send failed ${r.status} ${r.body.error ?? ''}`);
        return;
      }
      stats.sent++;
      if (v.info.conversationId === null) {
        v.info.conversationId = r.body.data.conversationId;
        stats.conversations.push(r.body.data.conversationId);
        subscribe(v, r.body.data.conversationId);
      }
    } catch (err) {
      if (!stopped) {
        stats.errors++;
        log(`simulator: ${(err as Error).message}`);
      }
    }
  }

  async function run(v: Visitor): Promise<void> {
    await sleep(Math.random() * Math.min(1000, maxDelay));
    let sent = 0;
    while (!stopped && sent < limit) {
      await say(v, sent === 0 ? pick(OPENERS) : pick(FOLLOW_UPS));
      sent++;
      await sleep(minDelay + Math.random() * (maxDelay - minDelay));
    }
  }

  const visitors: Visitor[] = [];
  for (let i = 0; i < opts.visitors; i++) {
    const s = await call<{ sessionToken: string; conversationId: number | null }>('/api/chat/session', { method: 'POST', body: '{}' });
    if (s.status !== 200) throw new Error(`simulator: could not create a session (${s.status})`);
    let readyResolve: () => void = () => undefined;
    const ready = new Promise<void>((r) => {
      readyResolve = r;
    });
    const name = names[i % names.length] ?? `Visitor ${i + 1}`;
    visitors.push({
      info: { name: names.length > i ? name : `${name} ${Math.floor(i / names.length) + 1}`, sessionToken: s.body.data.sessionToken, conversationId: null, connected: false },
      client: null,
      channel: null,
      readyResolve,
      ready,
    });
  }
  const loops = visitors.map((v) => run(v));

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const v of visitors) {
        v.readyResolve();
        v.client?.disconnect();
      }
      await Promise.race([Promise.allSettled(loops), new Promise((r) => setTimeout(r, 2000))]);
    },
    stats: () => ({ ...stats, conversations: [...stats.conversations] }),
    visitors: () => visitors.map((v) => ({ ...v.info })),
    ready: async () => {
      await Promise.all(visitors.map((v) => v.ready));
    },
  };
}
