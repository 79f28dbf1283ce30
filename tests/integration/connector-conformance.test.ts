// The connector conformance suite: one list of scenarios, run against every registered kind
// with its reference backend, and against fakes for the capability combinations no reference
// backend has. A kind is done when it passes. Everything goes through the contract, as the UI
// does; the truth is read from the site itself.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { djangoChatSubject } from '../support/conformance/django-chat-site';
import { djangoNotificationsSubject } from '../support/conformance/django-notifications-site';
import { fakeSubject } from '../support/conformance/fake-site';
import { openmanusSubject } from '../support/conformance/openmanus-site';
import { jwtWsSubject } from '../support/conformance/jwt-ws-site';
import { portfolioDeployedSubject } from '../support/conformance/portfolio-deployed-site';
import { portfolioSubject } from '../support/conformance/portfolio-site';
import type { ConformanceSite, ConformanceSubject, SiteMessage } from '../support/conformance/site';
import { startTestCore, waitFor, type TestCore } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const subjects: ConformanceSubject[] = [
  portfolioSubject(true),
  portfolioSubject(false),
  portfolioDeployedSubject(),
  djangoNotificationsSubject(),
  djangoChatSubject(),
  openmanusSubject(),
  jwtWsSubject(),
  fakeSubject('no server status, not idempotent, page-back', { serverStatus: false, idempotentSend: false, catchUp: 'page-back', readReceipts: false }),
  fakeSubject('poll-only (no account-wide realtime)', { serverStatus: false, idempotentSend: false, catchUp: 'poll', readReceipts: false, typing: false }),
  fakeSubject('cursor, idempotent, no typing', { typing: false }),
  fakeSubject('feed', { shape: 'feed', serverStatus: false, idempotentSend: false, catchUp: 'page-back', readReceipts: false, typing: false }),
];

/** Waits for an async condition (waitFor takes sync ones). */
async function until(fn: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await fn()) return;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface World {
  site: ConformanceSite;
  core: () => Core;
  test: () => TestCore;
  accountId: number;
  /** Stops the core, runs `meanwhile`, starts a new core on the same data folder. */
  restart(meanwhile?: () => void): Promise<void>;
}

async function world(subject: ConformanceSubject, before?: (site: ConformanceSite) => Promise<void>): Promise<World> {
  const site = await subject.start();
  cleanups.push(() => site.close());
  await before?.(site);
  const temp = tempDir('switchboard-conformance-');
  cleanups.push(() => temp.cleanup());
  let test = await startTestCore(temp.dir, site.coreOptions);
  cleanups.push(() => test.close());
  const accountId = await site.addAccount(test.core);
  const live = () => waitFor(() => test.core.accounts.connectionOf(accountId)?.state === 'live', 15_000, 'live');
  await live();
  return {
    site,
    core: () => test.core,
    test: () => test,
    accountId,
    async restart(meanwhile) {
      await test.close();
      meanwhile?.();
      test = await startTestCore(temp.dir, site.coreOptions);
      cleanups.push(() => test.close());
      await live();
    },
  };
}

/** Waits for the account to be live again; a timeout carries what the core logged (CI's only trace). */
async function liveAgain(w: World, what: string): Promise<void> {
  try {
    await waitFor(() => w.core().accounts.connectionOf(w.accountId)?.state === 'live', 15_000, what);
  } catch (error) {
    const state = JSON.stringify(w.core().accounts.connectionOf(w.accountId));
    throw new Error(`${error instanceof Error ? error.message : String(error)} (connection: ${state})\n--- the core's last log lines ---\n${w.test().logs.slice(-40).join('\n')}`, { cause: error });
  }
}

const mirrorMessages = (w: World, remoteId: string): SiteMessage[] => {
  const row = w.core().mirror.conversations.findByRemote(w.accountId, remoteId);
  // Events (an agent's steps, kind 'event') are not the site's messages: the kind's own tests compare them.
  return row ? w.core().mirror.messages.all(row.id).filter((m) => m.kind !== 'event').map((m) => ({ content: m.content, from: m.senderType === 'admin' ? 'owner' : 'other' })) : [];
};

async function mirrorMatches(w: World, remoteId: string, what: string): Promise<void> {
  await until(async () => JSON.stringify(mirrorMessages(w, remoteId)) === JSON.stringify(await w.site.serverMessages(remoteId)), 15_000, what).catch(() => undefined);
  expect(mirrorMessages(w, remoteId), what).toEqual(await w.site.serverMessages(remoteId));
}

const call = async (w: World, method: string, input: unknown) => {
  const r = await w.core().dispatch(method as never, input as never);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as never;
};

let uuidSeq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++uuidSeq).padStart(12, '0')}`;

const ownCount = async (w: World, remoteId: string, content: string) => (await w.site.serverMessages(remoteId)).filter((m) => m.from === 'owner' && m.content === content).length;

const feedTitles = (w: World) =>
  w
    .core()
    .mirror.feed.page(500, undefined, w.accountId)
    .items.map((e) => (w.site.feedLabel ? w.site.feedLabel(e) : e.title))
    .sort();

describe.each(subjects)('connector conformance: $name', (subject) => {
  it('declares its capabilities on the account', async () => {
    const w = await world(subject);
    const [account] = (await call(w, 'accounts.list', undefined)) as { capabilities: unknown }[];
    expect(account!.capabilities).toEqual(w.site.capabilities);
  });

  it('first sync: what the site had before the account was added is mirrored', async () => {
    const ids: string[] = [];
    const w = await world(subject, async (site) => {
      const a = await site.visitorWrites('first sync one');
      ids.push(a);
      await site.visitorWrites('first sync two', a);
      ids.push(await site.visitorWrites('first sync three'));
    });
    if (w.site.capabilities.shape === 'feed') {
      await waitFor(() => feedTitles(w).length === 3, 10_000, 'feed synced');
      expect(feedTitles(w)).toEqual(['first sync one', 'first sync three', 'first sync two']);
      return;
    }
    for (const id of new Set(ids)) await mirrorMatches(w, id, `conversation ${id} mirrored`);
  });

  it('live: a new message arrives without a restart', async () => {
    const w = await world(subject);
    const id = await w.site.visitorWrites('live hello');
    if (w.site.capabilities.shape === 'feed') {
      await waitFor(() => feedTitles(w).includes('live hello'), 10_000, 'live feed entry');
      return;
    }
    await mirrorMatches(w, id, 'live message mirrored');
  });

  const inbox = subject.capabilities.shape === 'inbox';

  it.skipIf(!inbox)('reply: sent exactly once and shown once', async () => {
    const w = await world(subject);
    const id = await w.site.visitorWrites('can you help?');
    await mirrorMatches(w, id, 'question mirrored');
    const conversation = w.core().mirror.conversations.findByRemote(w.accountId, id)!;
    await call(w, 'messages.send', { conversationId: conversation.id, content: 'yes, gladly', clientId: uuid() });
    await waitFor(() => w.core().mirror.outbox.counts(w.accountId).pending === 0, 10_000, 'reply settled');
    expect(await ownCount(w, id, 'yes, gladly')).toBe(1);
    const mine = w.core().mirror.messages.all(conversation.id).filter((m) => m.content === 'yes, gladly');
    expect(mine.map((m) => m.delivery)).toEqual([expect.stringMatching(/^(sent|read)$/)]);
  });

  it.skipIf(!inbox)('reply in flight when the app stops: after the restart it is on the site exactly once', async () => {
    const w = await world(subject);
    const id = await w.site.visitorWrites('are you there?');
    await mirrorMatches(w, id, 'question mirrored');
    const conversation = w.core().mirror.conversations.findByRemote(w.accountId, id)!;
    w.site.holdReplies();
    await call(w, 'messages.send', { conversationId: conversation.id, content: 'in flight', clientId: uuid() });
    await until(async () => (await ownCount(w, id, 'in flight')) === 1, 10_000, 'stored by the site');
    // The answer never reaches this core; the next one starts with the reply still queued.
    await w.restart(() => w.site.releaseReplies());
    await waitFor(() => w.core().mirror.outbox.counts(w.accountId).pending === 0, 15_000, 'settled after restart');
    expect(await ownCount(w, id, 'in flight')).toBe(1);
    await mirrorMatches(w, id, 'shown once after restart');
  });

  it.skipIf(!inbox)('status: kept by the server, or kept here and never reset by a fetch', async () => {
    const w = await world(subject);
    const id = await w.site.visitorWrites('status please');
    await mirrorMatches(w, id, 'mirrored');
    const conversation = w.core().mirror.conversations.findByRemote(w.accountId, id)!;
    const resolved = (await call(w, 'conversations.setStatus', { conversationId: conversation.id, status: 'resolved' })) as { status: string; statusIsLocal: boolean };
    expect(resolved.status).toBe('resolved');
    expect(resolved.statusIsLocal).toBe(!w.site.capabilities.serverStatus);
    if (w.site.serverStatus) {
      await until(async () => (await w.site.serverStatus!(id)) === 'resolved', 10_000, 'resolved on the server');
    } else {
      w.core().resync('test');
      await waitFor(() => w.core().accounts.connectionOf(w.accountId)?.state === 'live', 10_000, 'live after resync');
      expect(w.core().mirror.conversations.get(conversation.id)!.status).toBe('resolved');
      // A new visitor message reopens a locally resolved conversation.
      await w.site.visitorWrites('one more thing', id);
      await waitFor(() => w.core().mirror.conversations.get(conversation.id)!.status === 'active', 10_000, 'reopened locally');
    }
  });

  it.skipIf(!subject.capabilities.readReceipts)('read receipts, where the kind has them', async () => {
    const w = await world(subject);
    expect(w.site.visitorMessagesRead, 'a kind with read receipts must let the suite read them').toBeDefined();
    const id = await w.site.visitorWrites('read me');
    await mirrorMatches(w, id, 'mirrored');
    const conversation = w.core().mirror.conversations.findByRemote(w.accountId, id)!;
    await call(w, 'conversations.markRead', { conversationId: conversation.id });
    await until(() => w.site.visitorMessagesRead!(id), 10_000, 'read on the server');
  });

  it.skipIf(!subject.capabilities.typing)('typing, where the kind has it', async () => {
    const w = await world(subject);
    expect(w.site.visitorSawTyping, 'a kind with typing must let the suite see it').toBeDefined();
    const id = await w.site.visitorWrites('typing?');
    await mirrorMatches(w, id, 'mirrored');
    const conversation = w.core().mirror.conversations.findByRemote(w.accountId, id)!;
    await call(w, 'conversations.watch', { conversationIds: [conversation.id] });
    // The owner keeps typing (the composer repeats it) until the channels on both ends are up.
    await until(async () => {
      await call(w, 'typing.send', { conversationId: conversation.id, isTyping: true });
      return w.site.visitorSawTyping!(id);
    }, 10_000, 'typing seen');
  });

  it('disconnect: what arrived meanwhile is caught up with no loss and no duplicate', async () => {
    const w = await world(subject);
    const first = await w.site.visitorWrites('before the drop');
    if (w.site.capabilities.shape !== 'feed') await mirrorMatches(w, first, 'mirrored');
    await w.site.dropRealtime();
    const written = ['while down 1', 'while down 2', 'while down 3'];
    for (const text of written) await w.site.visitorWrites(text, first);
    const other = await w.site.visitorWrites('a new conversation while down');
    await w.site.restoreRealtime();
    await liveAgain(w, 'live again');
    if (w.site.capabilities.shape === 'feed') {
      await waitFor(() => feedTitles(w).length === 5, 10_000, 'feed caught up');
      expect(feedTitles(w)).toEqual(['a new conversation while down', 'before the drop', 'while down 1', 'while down 2', 'while down 3']);
      return;
    }
    await mirrorMatches(w, first, 'caught up');
    await mirrorMatches(w, other, 'new conversation caught up');
  });

  it('credentials expire: "sign in again", then what waited is delivered once', async () => {
    const w = await world(subject);
    const id = await w.site.visitorWrites('before expiry');
    if (w.site.capabilities.shape !== 'feed') await mirrorMatches(w, id, 'mirrored');
    await w.site.expireCredentials();
    if (w.site.capabilities.shape === 'feed') {
      w.core().resync('test');
    } else {
      const conversation = w.core().mirror.conversations.findByRemote(w.accountId, id)!;
      await call(w, 'messages.send', { conversationId: conversation.id, content: 'after sign-in', clientId: uuid() });
    }
    await waitFor(() => w.core().accounts.connectionOf(w.accountId)?.state === 'auth-expired', 15_000, 'auth-expired');
    await call(w, 'accounts.signIn', w.site.signInInput(w.accountId));
    await liveAgain(w, 'live after sign-in');
    if (w.site.capabilities.shape === 'feed') return;
    await waitFor(() => w.core().mirror.outbox.counts(w.accountId).pending === 0, 15_000, 'outbox delivered');
    expect(await ownCount(w, id, 'after sign-in')).toBe(1);
  });

  // Fakes have no wire to garble: their connector is the test's own code.
  it.skipIf(subject.name.startsWith('fake'))('a malformed realtime event is skipped and logged, and the next one still arrives', async () => {
    const w = await world(subject);
    expect(w.site.sendMalformed, 'a real kind must let the suite send it garbage').toBeDefined();
    const id = await w.site.visitorWrites('before garbage');
    const feed = w.site.capabilities.shape === 'feed';
    if (feed) await waitFor(() => feedTitles(w).includes('before garbage'), 10_000, 'feed entry');
    else await mirrorMatches(w, id, 'mirrored');
    await w.site.sendMalformed!(id);
    await waitFor(() => w.test().logs.some((l) => /malformed/i.test(l)), 10_000, 'skip logged');
    await w.site.visitorWrites('after garbage', id);
    if (feed) {
      await waitFor(() => feedTitles(w).includes('after garbage'), 10_000, 'still live');
      expect(feedTitles(w)).toEqual(['after garbage', 'before garbage']);
    } else await mirrorMatches(w, id, 'still live');
  });
});
