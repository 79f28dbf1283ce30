// The core's attention parts over a real SQLite mirror: the one unread number (muted
// conversations left out) and its connection look, and which committed messages count as
// news for the notification center.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BadgeState } from '../../src/shared/attention';
import type { ConnectionState, Message } from '../../src/shared/domain';
import { BadgeTracker, badgeLook } from '../../src/main/core/attention/badge';
import { FocusTracker } from '../../src/main/core/attention/focus';
import { VisitorFeed } from '../../src/main/core/attention/visitor-feed';
import { EventBus } from '../../src/main/core/events';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { openTempMirror } from '../support/temp-db';

let env: ReturnType<typeof openTempMirror>;
let mirror: Mirror;
let accountId: number;
const ADDED_AT = 1_000_000;

beforeEach(() => {
  env = openTempMirror();
  mirror = env.mirror;
  accountId = mirror.accounts.create({ kind: 'portfolio', name: 'Site', baseUrl: 'http://127.0.0.1:1' }, ADDED_AT).id;
});
afterEach(() => {
  try {
    env.close();
  } catch {
    // closed by the test already
  }
});

function conversation(remoteId: string, messages: RemoteMessage[]): { id: number; added: Message[] } {
  return mirror.transaction(() => {
    const row = mirror.conversations.upsert(accountId, { remoteId, visitorName: `Visitor ${remoteId}`, createdAt: messages[0]?.createdAt ?? ADDED_AT }, ADDED_AT).row;
    const result = mirror.messages.apply(row.id, messages);
    mirror.conversations.recountUnreadFor(row.id);
    return { id: row.id, added: result.added };
  });
}

const visitor = (remoteId: string, createdAt: number, readAt: number | null = null): RemoteMessage => ({ remoteId, senderType: 'visitor', content: `message ${remoteId}`, createdAt, readAt });
const admin = (remoteId: string, createdAt: number): RemoteMessage => ({ remoteId, senderType: 'admin', content: `reply ${remoteId}`, createdAt });

describe('the unread badge', () => {
  it('sums unread visitor messages over every conversation, leaving muted ones out', async () => {
    const events = new EventBus();
    const states: ConnectionState[] = ['live'];
    const pushed: BadgeState[] = [];
    events.subscribe((name, payload) => name === 'app.badge' && pushed.push(payload as BadgeState));
    const tracker = new BadgeTracker({
      sources: { unreadTotal: () => mirror.attention.unreadTotal(), connectionStates: () => states },
      events,
      timers: { setTimeout: (fn) => setTimeout(fn, 0), clearTimeout: () => {} },
    });
    tracker.start();
    expect(tracker.current()).toEqual({ unread: 0, look: 'ok' });

    const a = conversation('a', [visitor('1', ADDED_AT + 1), visitor('2', ADDED_AT + 2), admin('3', ADDED_AT + 3)]);
    const b = conversation('b', [visitor('4', ADDED_AT + 4, ADDED_AT + 5), visitor('5', ADDED_AT + 6)]);
    // A burst of events recomputes once.
    for (let i = 0; i < 5; i++) events.emit('conversations.changed', { accountId, conversationIds: [a.id, b.id] });
    await new Promise((r) => setTimeout(r, 5));
    expect(pushed).toEqual([{ unread: 3, look: 'ok' }]);

    mirror.conversations.setMuted(a.id, true, ADDED_AT);
    states.push('auth-expired');
    events.emit('connection.state', { accountId, state: 'auth-expired', detail: null, lastSyncedAt: null });
    await new Promise((r) => setTimeout(r, 5));
    expect(pushed.at(-1)).toEqual({ unread: 1, look: 'sign-in' });

    // A recompute scheduled just before the core closes must not touch the closed database.
    events.emit('conversations.changed', { accountId, conversationIds: [a.id] });
    tracker.stop();
    env.mirror.close();
    await new Promise((r) => setTimeout(r, 5));
    expect(pushed).toHaveLength(2);
  });

  it.each<[ConnectionState[], string]>([
    [[], 'ok'],
    [['live', 'syncing', 'connecting'], 'ok'],
    [['live', 'offline'], 'disconnected'],
    [['unavailable'], 'disconnected'],
    [['offline', 'auth-expired'], 'sign-in'],
  ])('accounts %j look %s', (states, look) => expect(badgeLook(states)).toBe(look));
});

describe('the conversations a visitor waits in', () => {
  it('are active, unmuted ones with unread visitor messages, waiting since the oldest unread', () => {
    const waiting = conversation('w', [visitor('1', ADDED_AT + 10, ADDED_AT + 11), visitor('2', ADDED_AT + 20), visitor('3', ADDED_AT + 30)]);
    const answered = conversation('x', [visitor('4', ADDED_AT + 10, ADDED_AT + 11), admin('5', ADDED_AT + 12)]);
    const muted = conversation('m', [visitor('6', ADDED_AT + 10)]);
    mirror.conversations.setMuted(muted.id, true, ADDED_AT);
    const resolved = conversation('r', [visitor('7', ADDED_AT + 10)]);
    mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: 'r', createdAt: ADDED_AT, serverStatus: 'resolved' }, ADDED_AT));
    expect(mirror.attention.waiting()).toEqual([{ conversationId: waiting.id, since: ADDED_AT + 20 }]);
    expect(mirror.attention.facts(answered.id)).toEqual({ accountId, visitorName: 'Visitor x', muted: false, status: 'active', unreadCount: 0 });
    expect(mirror.attention.facts(resolved.id)?.status).toBe('resolved');
    expect(mirror.attention.facts(99999)).toBeNull();
  });
});

describe("a conversation's stated agent runs", () => {
  const event = (remoteId: string, createdAt: number, payload: unknown, deletedAt: number | null = null): RemoteMessage => ({ remoteId, senderType: 'agent', content: `event ${remoteId}`, createdAt, kind: 'event', payload, deletedAt });

  it("are the newest page's messages whose payload has a run, newest first, as the page shows them", () => {
    const c = conversation('agent', [
      event('1', ADDED_AT + 1, { run: 'running' }),
      event('2', ADDED_AT + 2, { event: 'agent.step' }),
      event('3', ADDED_AT + 3, { run: 'bogus' }),
      event('4', ADDED_AT + 4, { run: 'finished' }, ADDED_AT + 9),
      event('5', ADDED_AT + 5, ['run']),
      event('6', ADDED_AT + 5, null),
      event('7', ADDED_AT + 6, { run: { nested: true } }),
      admin('8', ADDED_AT + 7),
    ]);
    const page = mirror.messages.page(c.id, 50).items;
    const stated = page.filter((m) => m.payload && typeof m.payload === 'object' && !Array.isArray(m.payload) && (m.payload as { run?: unknown }).run != null).reverse();
    // The deleted 'finished' is left out, as the page leaves it out; checking the value is the caller's.
    expect(mirror.attention.recentRuns(c.id, 50)).toEqual(stated.map((m) => ({ id: m.id, createdAt: m.createdAt, run: expect.anything() })));
    expect(mirror.attention.recentRuns(c.id, 50).map((r) => r.run)).toEqual(['{"nested":true}', 'bogus', 'running']);
    // Only the newest `limit` messages count: the first run is the 7th newest.
    expect(mirror.attention.recentRuns(c.id, 6).map((r) => r.run)).toEqual(['{"nested":true}', 'bogus']);
    expect(mirror.attention.recentRuns(c.id + 100, 50)).toEqual([]);
  });
});

describe('which messages are news', () => {
  function feed() {
    const events = new EventBus();
    const calls: Array<{ id: number; contents: string[]; newConversation: boolean }> = [];
    const f = new VisitorFeed({
      events,
      accountAddedAt: (id) => {
        const facts = mirror.attention.facts(id);
        return facts ? (mirror.accounts.get(facts.accountId)?.createdAt ?? null) : null;
      },
      hasMoreMessagesThan: (id, n) => mirror.attention.hasMoreMessagesThan(id, n),
      visitorMessages: (id, messages, opts) => calls.push({ id, contents: messages.map((m) => m.content), newConversation: opts.newConversation }),
      log: () => {},
    });
    f.start();
    return { events, calls, stop: () => f.stop() };
  }

  it('history older than the account is not news; a first visitor message is a new conversation', () => {
    const { events, calls } = feed();
    const old = conversation('old', [visitor('1', ADDED_AT - 5000), visitor('2', ADDED_AT - 4000)]);
    events.emit('messages.added', { conversationId: old.id, messages: old.added });
    expect(calls).toEqual([]);

    const fresh = conversation('new', [visitor('3', ADDED_AT + 100)]);
    events.emit('messages.added', { conversationId: fresh.id, messages: fresh.added });
    expect(calls).toEqual([{ id: fresh.id, contents: ['message 3'], newConversation: true }]);

    const more = mirror.transaction(() => mirror.messages.apply(fresh.id, [visitor('4', ADDED_AT + 200), admin('5', ADDED_AT + 300), visitor('6', ADDED_AT + 400, ADDED_AT + 401)]));
    events.emit('messages.added', { conversationId: fresh.id, messages: more.added });
    // Our own replies and messages already read elsewhere are not news.
    expect(calls.at(-1)).toEqual({ id: fresh.id, contents: ['message 4'], newConversation: false });
  });

  it('a page into a longer conversation is no new conversation; one that holds only the page is', () => {
    const { events, calls } = feed();
    const long = conversation('long', Array.from({ length: 6 }, (_, i) => visitor(`l${i}`, ADDED_AT - 100 + i)));
    const page = mirror.transaction(() => mirror.messages.apply(long.id, [visitor('l6', ADDED_AT + 10), visitor('l7', ADDED_AT + 11)]));
    events.emit('messages.added', { conversationId: long.id, messages: page.added });
    expect(calls).toEqual([{ id: long.id, contents: ['message l6', 'message l7'], newConversation: false }]);
    expect([0, 2, 7, 8, 20].map((n) => mirror.attention.hasMoreMessagesThan(long.id, n))).toEqual([true, true, true, false, false]);
    expect(mirror.attention.hasMoreMessagesThan(long.id + 100, 0)).toBe(false);
  });

  it('a failing notification is logged and does not stop the event reaching other listeners', () => {
    const events = new EventBus();
    const logged: string[] = [];
    const f = new VisitorFeed({
      events,
      accountAddedAt: () => 0,
      hasMoreMessagesThan: () => false,
      visitorMessages: () => {
        throw new Error('notifier broke');
      },
      log: (m) => logged.push(m),
    });
    f.start();
    const seen: string[] = [];
    events.subscribe((name) => seen.push(name));
    const c = conversation('z', [visitor('1', ADDED_AT + 1)]);
    events.emit('messages.added', { conversationId: c.id, messages: c.added });
    expect(seen).toEqual(['messages.added']);
    expect(logged).toEqual(['notifications: notifier broke']);
  });
});

describe('focus', () => {
  it('only a focused window hides a conversation, and focusing one counts as seeing it', () => {
    const seen: number[] = [];
    const focus = new FocusTracker((id) => seen.push(id));
    focus.report({ focused: false, conversationId: 3 });
    expect(focus.focusedConversationId()).toBeNull();
    expect(seen).toEqual([]);
    focus.report({ focused: true, conversationId: 3 });
    expect(focus.focusedConversationId()).toBe(3);
    focus.report({ focused: true, conversationId: null });
    expect(focus.focusedConversationId()).toBeNull();
    expect(seen).toEqual([3]);
  });
});
