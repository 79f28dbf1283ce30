// Visitor simulator for the deployed flavour: N visitors using the deployed widget's path
// (POST /api/chat/send with a visitorId, private-conversation-{id} over pusher-js).
import { randomUUID } from 'node:crypto';
import PusherJS from 'pusher-js';
import { FOLLOW_UPS, NAMES, OPENERS, REPLIES, pick } from '../simulator';

export interface DeployedSimulatorOptions {
  apiUrl: string;
  pusher: { key: string; cluster: string; wsHost: string; wsPort: number; forceTLS: boolean };
  visitors: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Messages each visitor sends on its own initiative (default: unlimited). */
  messages?: number;
  /** Reply when the admin writes (default true). */
  replyToAdmin?: boolean;
  log?: (line: string) => void;
}

export interface DeployedSimulatorStats {
  visitors: number;
  conversations: number[];
  sent: number;
  /** Admin replies seen over Pusher. */
  received: number;
  /** AI replies seen over Pusher. */
  aiReceived: number;
  errors: number;
}

export interface DeployedSimulatorHandle {
  stop(): Promise<void>;
  stats(): DeployedSimulatorStats;
}

export function startDeployedSimulator(opts: DeployedSimulatorOptions): DeployedSimulatorHandle {
  const api = opts.apiUrl.replace(/\/+$/, '');
  const minDelay = opts.minDelayMs ?? 2000;
  const maxDelay = Math.max(minDelay, opts.maxDelayMs ?? 8000);
  const limit = opts.messages ?? Number.POSITIVE_INFINITY;
  const log = opts.log ?? (() => undefined);
  const stats: DeployedSimulatorStats = { visitors: opts.visitors, conversations: [], sent: 0, received: 0, aiReceived: 0, errors: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const clients: PusherJS[] = [];
  let stopped = false;
  const sleep = (ms: number): Promise<void> =>
    new Promise((r) => {
      const t = setTimeout(() => {
        timers.delete(t);
        r();
      }, ms);
      timers.add(t);
    });

  interface Visitor {
    visitorId: string;
    name: string;
    conversationId: number | null;
  }

  function subscribe(v: Visitor, conversationId: number): void {
    const client = new PusherJS(opts.pusher.key, {
      cluster: opts.pusher.cluster,
      wsHost: opts.pusher.wsHost,
      wsPort: opts.pusher.wsPort,
      wssPort: opts.pusher.wsPort,
      forceTLS: opts.pusher.forceTLS,
      enabledTransports: ['ws', 'wss'],
      disableStats: true,
      channelAuthorization: { endpoint: `${api}/api/pusher/auth`, transport: 'ajax' },
    });
    clients.push(client);
    const channel = client.subscribe(`private-conversation-${conversationId}`);
    channel.bind('new-message', (m: { senderType?: string }) => {
      if (m.senderType === 'ai') stats.aiReceived++;
      if (m.senderType !== 'admin') return;
      stats.received++;
      if (opts.replyToAdmin === false) return;
      void sleep(minDelay / 2 + Math.random() * ((maxDelay - minDelay) / 2)).then(() => say(v, pick(REPLIES)));
    });
  }

  async function say(v: Visitor, text: string): Promise<void> {
    if (stopped) return;
    try {
      const res = await fetch(`${api}/api/chat/send`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ conversationId: v.conversationId, content: v.conversationId ? text : `${text} My name is ${v.name}.`, visitorId: v.visitorId }),
      });
      const body = (await res.json()) as { success?: boolean; data?: { conversationId: number }; error?: string };
      if (res.status !== 200 || !body.data) {
        stats.errors++;
        log(`simulator: send failed ${res.status} ${body.error ?? ''}`);
        return;
      }
      stats.sent++;
      if (v.conversationId === null) {
        v.conversationId = body.data.conversationId;
        stats.conversations.push(v.conversationId);
        subscribe(v, v.conversationId);
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
    for (let sent = 0; !stopped && sent < limit; sent++) {
      await say(v, sent === 0 ? pick(OPENERS) : pick(FOLLOW_UPS));
      await sleep(minDelay + Math.random() * (maxDelay - minDelay));
    }
  }

  const loops: Promise<void>[] = [];
  for (let i = 0; i < opts.visitors; i++) {
    const base = NAMES[i % NAMES.length] ?? 'Visitor';
    const name = (i < NAMES.length ? base : `${base} ${Math.floor(i / NAMES.length) + 1}`).split(' ')[0] ?? base;
    loops.push(run({ visitorId: randomUUID(), name: name.charAt(0).toUpperCase() + name.slice(1), conversationId: null }));
  }

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of clients) c.disconnect();
      await Promise.race([Promise.allSettled(loops), new Promise((r) => setTimeout(r, 2000))]);
    },
    stats: () => ({ ...stats, conversations: [...stats.conversations] }),
  };
}
