// How a kind fills a gap, as one object per capabilities.catchUp:
//   cursor    - the list names what changed since the account's cursor, and each conversation
//               is read forward from its own cursor (after=/updatedSince=);
//   page-back - the list names everything, and a conversation whose activity moved is walked
//               back from its newest page to messages known before the gap;
//   poll      - page-back, and with no account-wide realtime channel the list is also polled
//               on an interval (poller.ts), unless the connector watches it itself.
import type { Connector } from '../connectors/connector';
import type { Mirror } from '../mirror/mirror';
import type { RemoteMessage } from '../mirror/types';
import { Poller, type PollIntervals } from './poller';
import type { Timers } from './timers';

const PAGE = 100;
/** Cursor scope: the local message id a page-back catch-up still owes its walk down to ('' = none). */
const PAGE_BACK_OWED = 'page-back-owed';

export interface CatchUpStrategy {
  /** The account's list names only what changed since its cursor (not a full listing). */
  readonly listsChangesOnly: boolean;
  /** Why this kind's sync is limited, said on the account while nothing is wrong. */
  readonly limitation: string | null;
  /** Fetches what is new in one mirrored conversation and applies it, page by page. */
  fetchConversation(remoteId: string, knownUpTo?: number): Promise<void>;
  /** Asks the site for one message of a conversation: a refusal throws. */
  probe(remoteId: string): Promise<unknown>;
  /** The conversations are about to be fetched: adds what an unfinished gap still owes; returns where walks stop. */
  beginGap(changed: string[], knownUpTo: number): number;
  /** Every listed conversation was fetched. */
  gapFilled(): void;
  start(): void;
  stop(): void;
  setFocused(focused: boolean): void;
  /** A catch-up finished; `changed` when it found anything. */
  caughtUp(changed: boolean): void;
}

export interface CatchUpStrategyDeps {
  accountId: number;
  connector: Connector;
  mirror: Mirror;
  clock: () => number;
  timers: Timers;
  /** After an await: throws when the engine was stopped meanwhile. */
  alive: () => void;
  commitFetched: (conversationId: number, items: RemoteMessage[], alsoInTransaction: () => unknown) => Promise<void>;
  /** Paging went in circles (see LinkState.inconsistent). */
  inconsistent: (what: string) => void;
  requestCatchUp: () => void;
  pollIntervals?: PollIntervals;
}

const noLifecycle = { start() {}, stop() {}, setFocused() {}, caughtUp() {} };

export function catchUpStrategy(deps: CatchUpStrategyDeps): CatchUpStrategy {
  const { catchUp, shape } = deps.connector.capabilities;
  if (catchUp === 'cursor') return cursorStrategy(deps);
  if (catchUp === 'page-back') {
    // A feed has no replies to deduplicate, and its list is the whole catch-up: nothing is limited.
    const limitation = shape === 'feed' ? null : 'Limited sync: this backend has no catch-up cursor or reply deduplication; gaps are filled by reading the history of each changed conversation again (newest first, as far back as the site gives it).';
    return { ...pageBackStrategy(deps), limitation, ...noLifecycle };
  }
  return pollStrategy(deps);
}

function cursorStrategy(deps: CatchUpStrategyDeps): CatchUpStrategy {
  const { connector, mirror, accountId, clock } = deps;
  return {
    listsChangesOnly: true,
    limitation: null,
    ...noLifecycle,
    probe: (remoteId) => connector.messagesAfter(remoteId, null, 1),
    beginGap: (_changed, knownUpTo) => knownUpTo,
    gapFilled() {},
    async fetchConversation(remoteId) {
      const row = mirror.conversations.findByRemote(accountId, remoteId);
      if (!row) return;
      const scope = `conversation:${row.id}`;
      // A cursor that comes back (the site ignores after=) would fetch the same page forever.
      const cursors = new Set<string>();
      let after = mirror.cursors.get(accountId, scope);
      if (after) cursors.add(after);
      // The next page is asked for while this one waits for its commit (the core's writes and
      // the site's answer overlap). A page is queued only once the one before it committed, so a
      // page whose commit failed is never followed by a later page's cursor moving past it.
      let committing: Promise<void> = Promise.resolve();
      try {
        for (;;) {
          const page = await connector.messagesAfter(remoteId, after, PAGE);
          deps.alive();
          await committing;
          deps.alive();
          const last = page.items.at(-1);
          committing = deps.commitFetched(row.id, page.items, () => last && mirror.cursors.set(accountId, scope, last.remoteId, clock()));
          // Awaited below or in the catch; handled here so that a failure while the next page is
          // on its way is not reported as unhandled.
          committing.catch(() => undefined);
          if (!page.next || !last) break;
          if (cursors.has(last.remoteId)) {
            deps.inconsistent(`conversation ${remoteId}: the next page after message ${last.remoteId} is the same again`);
            break;
          }
          cursors.add(last.remoteId);
          after = last.remoteId;
        }
      } catch (error) {
        // Nothing of this conversation is still being written when its fetch reports the failure.
        // A commit that failed meanwhile is the worse news (the mirror, not the link), so it is
        // the failure reported: the engine shows a store error as one.
        let failure = error;
        await committing.catch((commitError: unknown) => {
          failure = commitError;
        });
        throw failure;
      }
      await committing;
      deps.alive();
    },
  };
}

function pageBackStrategy(deps: CatchUpStrategyDeps): Omit<CatchUpStrategy, 'limitation' | 'start' | 'stop' | 'setFocused' | 'caughtUp'> {
  const { connector, mirror, accountId, clock } = deps;
  return {
    listsChangesOnly: false,
    probe: (remoteId) => connector.messagesBefore(remoteId, null, 1),
    /**
     * A page-back catch-up that did not finish (the link dropped again, a fetch failed) is owed
     * until one does: the next one pages back to what was known before the FIRST unfinished
     * gap, and also walks every conversation that got messages since (a live message there
     * would otherwise look like the end of the gap and hide the hole behind it).
     */
    beginGap(changed, knownUpTo) {
      const owed = Number(mirror.cursors.get(accountId, PAGE_BACK_OWED) || Number.NaN);
      if (Number.isFinite(owed)) {
        knownUpTo = Math.min(owed, knownUpTo);
        for (const id of mirror.messages.conversationsWithMessagesAbove(owed)) {
          const row = mirror.conversations.getRow(id);
          if (row && row.accountId === accountId) changed.push(row.remoteId);
        }
      }
      mirror.cursors.set(accountId, PAGE_BACK_OWED, String(knownUpTo), clock());
      return knownUpTo;
    },
    gapFilled: () => mirror.cursors.set(accountId, PAGE_BACK_OWED, '', clock()),
    /**
     * Pages back from the newest until a page holds a message we already had when the walk (or
     * the catch-up) began. Live messages that arrive meanwhile, and the repeats an offset page
     * shows when messages arrive during the walk, have newer local ids and do not stop it: they
     * would leave a hole between them and what we had. Nor do our own replies: one queued before
     * the gap has an old local id but reaches the server (and the newest page) only now.
     */
    async fetchConversation(remoteId, knownUpTo = mirror.messages.maxId()) {
      const row = mirror.conversations.findByRemote(accountId, remoteId);
      if (!row) return;
      // A cursor that comes back (the site ignores before=) would fetch the same page forever.
      const cursors = new Set<string>();
      let before: string | null = null;
      const knownBefore = (m: RemoteMessage): boolean => {
        const had = mirror.messages.findByRemote(row.id, m.remoteId);
        return had !== undefined && had.id <= knownUpTo && had.clientId === null;
      };
      for (;;) {
        const page = await connector.messagesBefore(remoteId, before, PAGE);
        deps.alive();
        const known = page.items.some(knownBefore);
        await deps.commitFetched(row.id, page.items, () => {});
        deps.alive();
        if (known || !page.next) break;
        if (cursors.has(page.next)) {
          deps.inconsistent(`conversation ${remoteId}: the page before ${page.next} is the same again`);
          break;
        }
        cursors.add(page.next);
        before = page.next;
      }
    },
  };
}

function pollStrategy(deps: CatchUpStrategyDeps): CatchUpStrategy {
  const { connector, timers, clock, pollIntervals } = deps;
  // Connectors that poll their own list more cheaply report what moved through the sink.
  const poller = connector.pollsItself
    ? null
    : new Poller({ timers, clock, ...(pollIntervals ? { intervals: pollIntervals } : {}), poll: () => deps.requestCatchUp() });
  return {
    ...pageBackStrategy(deps),
    limitation: 'This site has no live channel for the whole account: new conversations, and messages where no live connection is open, are found by checking the site regularly.',
    start: () => poller?.start(),
    stop: () => poller?.stop(),
    setFocused: (focused) => poller?.setFocused(focused),
    caughtUp: (changed) => poller?.polled(changed),
  };
}
