// The REST calls a jwt-ws account makes, typed: rooms, newest-first page/limit history walked back
// to known messages, replies sent exactly once although the server has no idempotency key.
import { z } from 'zod';
import { backoffDelay } from '../../sync/backoff';
import { realTimers, type Timers } from '../../sync/timers';
import { ConnectorError } from '../connector';
import type { JwtWsRest } from './rest-client';
import { WireMessage, WireRoom, WireUser } from './wire';

export const HISTORY_LIMIT = 50;

export interface SentRecord {
  roomId: string;
  content: string;
  /** When the first attempt started (local ms). */
  firstAttemptAt: number;
}

export class JwtWsApi {
  /** Messages already matched to a reply, so two equal replies are not both matched to one message. */
  private readonly claimed = new Set<string>();

  private readonly retry: { sleep: (ms: number) => Promise<void>; random: () => number; maxWaitMs: number };

  constructor(
    private readonly rest: JwtWsRest,
    retry: { timers?: Timers; random?: () => number; maxWaitMs?: number } = {},
  ) {
    const timers = retry.timers ?? realTimers;
    this.retry = {
      sleep: (ms) => new Promise((r) => timers.setTimeout(r, ms)),
      random: retry.random ?? Math.random,
      maxWaitMs: retry.maxWaitMs ?? 30_000,
    };
  }

  /**
   * History walks are retried here on 429 (until X-RateLimit-Reset) and network failures: the
   * engine keeps the pages it already has, and a walk that stopped half way would leave a hole
   * its next catch-up cannot see (the newest page is known by then).
   */
  private async patiently<T>(fn: () => Promise<T>): Promise<T> {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!(error instanceof ConnectorError) || error.kind !== 'transient' || waited >= this.retry.maxWaitMs) throw error;
        const ms = Math.min(this.retry.maxWaitMs - waited, error.retryAfterMs ?? backoffDelay(attempt, this.retry.random, 500, 5000));
        waited += ms;
        await this.retry.sleep(ms);
      }
    }
  }

  async me(): Promise<WireUser> {
    return (await this.rest.request('GET', '/api/v1/users/me', WireUser)).data;
  }

  async user(userId: string): Promise<WireUser> {
    return (await this.rest.request('GET', `/api/v1/users/${encodeURIComponent(userId)}`, WireUser)).data;
  }

  async myRooms(): Promise<WireRoom[]> {
    return (await this.rest.request('GET', '/api/v1/rooms/my-chats', z.array(WireRoom).max(100_000))).data;
  }

  async room(roomId: string): Promise<WireRoom> {
    return (await this.rest.request('GET', `/api/v1/rooms/${encodeURIComponent(roomId)}`, WireRoom)).data;
  }

  /** One page, newest first. Pages are offsets, so they shift when messages arrive: dedupe by id. */
  async historyPage(roomId: string, page: number, limit = HISTORY_LIMIT): Promise<{ messages: WireMessage[]; totalPages: number; total: number | null }> {
    const path = `/api/v1/rooms/${encodeURIComponent(roomId)}/messages?page=${page}&limit=${limit}`;
    const r = await this.patiently(() => this.rest.request('GET', path, z.array(WireMessage).max(1000)));
    return { messages: r.data, totalPages: r.meta?.total_pages ?? (r.data.length < limit ? page : page + 1), total: r.meta?.total ?? null };
  }

  /**
   * Walks history back from the newest page until `known` says a message was seen before (or the
   * history ends, or maxPages). Returns every message met, newest first, each once.
   */
  async pageBack(roomId: string, known: (m: WireMessage) => boolean, maxPages = 20, limit = HISTORY_LIMIT): Promise<WireMessage[]> {
    const seen = new Map<string, WireMessage>();
    for (let page = 1; page <= maxPages; page++) {
      const { messages, totalPages } = await this.historyPage(roomId, page, limit);
      let reachedKnown = false;
      for (const m of messages) {
        if (!seen.has(m.id)) seen.set(m.id, m);
        if (known(m)) reachedKnown = true;
      }
      if (reachedKnown || messages.length < limit || page >= totalPages) break;
    }
    return [...seen.values()];
  }

  /**
   * Sends a reply. `previous` says an earlier attempt may have reached the server (timeout, 5xx,
   * lost answer): then the newest history is searched for it first, because a resend of a
   * delivered reply would show twice.
   */
  async sendReply(roomId: string, content: string, selfId: string, previous?: SentRecord): Promise<WireMessage> {
    if (previous) {
      const found = await this.findSent(roomId, content, selfId, previous.firstAttemptAt);
      if (found) return found;
    }
    const m = (await this.rest.request('POST', '/api/v1/messages', WireMessage, { room_id: roomId, content, type: 'text' })).data;
    this.claimed.add(m.id);
    return m;
  }

  private async findSent(roomId: string, content: string, selfId: string, since: number): Promise<WireMessage | null> {
    // Server clocks drift: accept messages up to five minutes before the first attempt.
    const from = since - 5 * 60_000;
    for (let page = 1; page <= 5; page++) {
      const { messages } = await this.historyPage(roomId, page);
      for (const m of messages) {
        if (m.sender_id === selfId && m.content === content && !m.is_deleted && !this.claimed.has(m.id) && Date.parse(m.created_at) >= from) {
          this.claimed.add(m.id);
          return m;
        }
      }
      const oldest = messages.at(-1);
      if (!oldest || messages.length < HISTORY_LIMIT || Date.parse(oldest.created_at) < from) break;
    }
    return null;
  }

  async markRead(messageId: string): Promise<void> {
    await this.rest.request('POST', `/api/v1/messages/${encodeURIComponent(messageId)}/read`, z.unknown());
  }

  /** Ensures the direct room with a user (200 existing, 201 new). */
  async directRoom(userId: string): Promise<WireRoom> {
    return (await this.rest.request('POST', `/api/v1/rooms/direct/${encodeURIComponent(userId)}`, WireRoom)).data;
  }
}
