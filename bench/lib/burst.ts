// The load benchmark's burst generator, run in a process of its own (the visitors agent): it
// writes visitor messages into the reference backend's database the way its chat API does (same
// statements, same rows), a tick's worth per transaction, and announces them to the reference
// Pusher server with the official SDK's triggerBatch (10 events per request, the protocol's
// limit), exactly the frames the chat API would trigger. Posting each message through the chat
// API costs an HTTP request, a transaction and two triggers in the backend's one process, which
// topped out near 1,000-1,900 msg/s on this machine: that measured the backend, not the console.
import { Agent as HttpAgent } from 'node:http';
import Pusher from 'pusher';
import { openChatDb } from '../../backends/portfolio/src/api/db';
import { Rng, language, messageText } from './data';
import { nowMs, sleep } from './report';

/** What the generator needs from the backend: its database file and the Pusher app it triggers on. */
export interface BurstTarget {
  dbFile: string;
  pusher: { appId: string; key: string; secret: string; host: string; port: number };
}

export interface BurstOptions extends BurstTarget {
  conversationIds: number[];
  rate: number;
  durationMs: number;
  /** Trigger requests in flight at most. */
  maxInFlight?: number;
}

export interface BurstResult {
  /** Committed to the backend's database and announced (its trigger request answered). */
  sent: number;
  failed: number;
  errors: string[];
  /** From the first write to the last announcement answered. */
  ms: number;
  rate: number;
  /** Messages committed per second (before their announcement). */
  writeRate: number;
  triggerRequests: number;
  byConversation: Record<string, number[]>;
  /** Committed, but the trigger request announcing them failed (ids, at most 1,000). */
  unannounced: number[];
}

const ADMIN_CHANNEL = 'private-admin-notifications';
const TICK_MS = 5;
const BATCH_EVENTS = 10;

/** The SDK's RequestError says only "Request failed with an error": the cause (ECONNRESET, a timeout) or the status is what tells. */
export function triggerErrorText(error: unknown): string {
  const e = error as { message?: string; status?: number; error?: { code?: string; message?: string; cause?: { code?: string } } } | null;
  const cause = e?.error ? ` (${e.error.code ?? e.error.cause?.code ?? ''} ${e.error.message ?? ''})`.replace('( ', '(') : '';
  return `${e?.message ?? String(error)}${e?.status ? ` ${e.status}` : ''}${cause}`;
}

export async function runBurst(options: BurstOptions): Promise<BurstResult> {
  const { db, q } = openChatDb(options.dbFile);
  const pusher = new Pusher({
    appId: options.pusher.appId,
    key: options.pusher.key,
    secret: options.pusher.secret,
    host: options.pusher.host,
    port: String(options.pusher.port),
    useTLS: false,
    timeout: 10_000,
    agent: new HttpAgent({ keepAlive: true, maxSockets: options.maxInFlight ?? 32 }),
  });
  const rng = new Rng(31);
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const result: BurstResult = { sent: 0, failed: 0, errors: [], ms: 0, rate: 0, writeRate: 0, triggerRequests: 0, byConversation: {}, unannounced: [] };
  const insert = db.transaction((count: number, from: number) => {
    const rows: { id: number; conversationId: number; content: string; createdAt: string }[] = [];
    const now = new Date().toISOString();
    for (let k = 0; k < count; k++) {
      const conversationId = options.conversationIds[(from + k) % options.conversationIds.length]!;
      const content = messageText(rng, language(rng));
      const id = Number(q.insertMessage.run(conversationId, 'visitor', null, content, 0, null, null, now).lastInsertRowid);
      q.setLastMessage.run(now, now, conversationId);
      rows.push({ id, conversationId, content, createdAt: now });
    }
    return rows;
  });
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  const start = nowMs();
  let written = 0;
  let lastWrite = start;
  let lastAck = start;
  try {
    while (written < total) {
      // A tick ahead, so the last messages are written before the duration is over, not after it.
      const due = Math.min(total, Math.ceil(((nowMs() - start + TICK_MS) * options.rate) / 1000));
      if (due > written) {
        const rows = insert(due - written, written);
        written = due;
        lastWrite = nowMs();
        // The frames the chat API triggers for a visitor message (with its extensions on).
        const events = rows.flatMap((r) => [
          {
            channel: `private-conversation-${r.conversationId}`,
            name: 'new-message',
            data: { id: r.id, content: r.content, senderType: 'visitor', createdAt: r.createdAt, isRead: false, conversationId: r.conversationId, clientMessageId: null, senderId: null },
          },
          { channel: ADMIN_CHANNEL, name: 'new-message-alert', data: { conversationId: r.conversationId, messagePreview: r.content.substring(0, 50), senderType: 'visitor' } },
        ]);
        for (let i = 0; i < events.length; i += BATCH_EVENTS) {
          const batch = events.slice(i, i + BATCH_EVENTS);
          const messages = rows.slice(i / 2, (i + BATCH_EVENTS) / 2);
          while (inFlight >= (options.maxInFlight ?? 32)) await sleep(1);
          inFlight++;
          result.triggerRequests++;
          pending.push(
            pusher
              .triggerBatch(batch)
              .then(() => {
                for (const m of messages) (result.byConversation[String(m.conversationId)] ??= []).push(m.id);
                result.sent += messages.length;
                lastAck = nowMs();
              })
              .catch((error: unknown) => {
                // Committed but not announced: the console finds it when it next catches up.
                result.failed += messages.length;
                for (const m of messages) if (result.unannounced.length < 1000) result.unannounced.push(m.id);
                if (result.errors.length < 5) result.errors.push(triggerErrorText(error));
              })
              .finally(() => inFlight--),
          );
        }
      }
      await sleep(TICK_MS);
    }
    await Promise.all(pending);
  } finally {
    db.close();
  }
  result.ms = Math.round(lastAck - start);
  result.rate = Math.round((result.sent / Math.max(lastAck - start, 1)) * 1000);
  result.writeRate = Math.round((written / Math.max(lastWrite - start, 1)) * 1000);
  return result;
}
