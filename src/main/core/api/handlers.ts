// The ConsoleApi implementation. Transport-agnostic: no IPC, no sockets here. Reads come from
// the mirror; actions go through the account service (outbox, connectors).
import { ConsoleError, type ConsoleApiHandlers, type MirrorRecovery } from '../../../shared/contract';
import type { Account, ConversationSummary, FeedEntry } from '../../../shared/domain';
import type { AccountService } from '../accounts/account-service';
import type { Attention } from '../attention/attention';
import type { Demo } from '../demo/demo';
import type { EventBus } from '../events';
import type { AccountRow } from '../mirror/accounts-repo';
import type { Mirror } from '../mirror/mirror';
import type { SecretStore, SettingsStore } from '../settings/settings-store';
import { exportHandlers } from './export-handlers';
import { savedReplyHandlers } from './saved-replies-handlers';

export interface HandlerDeps {
  mirror: Mirror;
  events: EventBus;
  settings: SettingsStore;
  secrets: SecretStore;
  accounts: AccountService;
  demo: Demo;
  attention: Attention;
  app: { version: string; mode: 'electron' | 'web'; dataDir: string };
  clock?: () => number;
  /** A damaged mirror found at this start (moved aside and rebuilt), or null. */
  mirrorRecovery?: () => MirrorRecovery | null;
}

export function createHandlers(deps: HandlerDeps) {
  const { mirror, events, accounts } = deps;

  const toAccount = (row: AccountRow): Account => {
    const status = accounts.connectionOf(row.id) ?? { state: 'offline', detail: null };
    return {
      id: row.id,
      kind: row.kind as Account['kind'],
      name: row.name,
      baseUrl: row.baseUrl,
      connectionState: status.state,
      stateDetail: status.detail,
      lastSyncedAt: row.lastSyncedAt,
      signInEndsAt: accounts.signInEndsAt(row),
      capabilities: accounts.capabilitiesOf(row),
    };
  };

  const conversationOrThrow = (id: number) => {
    const row = mirror.conversations.getRow(id);
    if (!row) throw new ConsoleError('not-found', `Conversation ${id} does not exist.`);
    return row;
  };

  const ownReply = (messageId: number) => {
    const message = mirror.messages.get(messageId);
    if (!message?.clientId) throw new ConsoleError('not-found', `Message ${messageId} is not a reply of yours.`);
    return { message, conversation: conversationOrThrow(message.conversationId), clientId: message.clientId };
  };

  const emitFeedChanges = (entries: FeedEntry[]) => {
    const byAccount = new Map<number, FeedEntry[]>();
    for (const e of entries) byAccount.set(e.accountId, [...(byAccount.get(e.accountId) ?? []), e]);
    for (const [accountId, list] of byAccount) events.emit('feed.changed', { accountId, entries: list });
  };

  // Summaries carry their agent's run state (agent kinds), derived from the mirrored events.
  const summary = (s: ConversationSummary) => deps.attention.agentRuns.decorate(s);
  const summaryOf = (id: number) => summary(mirror.conversations.get(id)!);

  const changed = (accountId: number, conversationIds: number[]) => events.emit('conversations.changed', { accountId, conversationIds });

  return {
    'app.info': () => ({ ...deps.app, secretsEncrypted: deps.secrets.encrypted }),
    'mirror.recovery': () => deps.mirrorRecovery?.() ?? null,
    'messages.fullText': ({ messageId }) => {
      const text = mirror.messages.fullText(messageId);
      if (text === undefined) throw new ConsoleError('not-found', `Message ${messageId} does not exist.`);
      return text;
    },

    'accounts.list': () => mirror.accounts.list().map(toAccount),

    'accounts.connect': async (input) => toAccount(await accounts.connect(input)),

    'accounts.signIn': async (input) => {
      await accounts.signIn(input);
      return toAccount(mirror.accounts.get(input.accountId)!);
    },

    'accounts.aiReplies': ({ accountId }) => accounts.aiReplies(accountId),
    'accounts.setAiReplies': async ({ accountId, enabled }) => {
      const result = await accounts.aiReplies(accountId, enabled);
      events.emit('ai.changed', { accountId, enabled: result.enabled });
      return result;
    },

    'accounts.models': ({ accountId }) => ({ models: accounts.knownModels(accountId) }),

    'conversations.start': async ({ accountId, model, content }) => {
      if (!mirror.accounts.get(accountId)) throw new ConsoleError('not-found', `Account ${accountId} does not exist.`);
      const row = await accounts.startConversation(accountId, { content, ...(model ? { model } : {}) });
      return summaryOf(row.id);
    },

    'demo.start': async () => {
      const { accountId, visitorUrl } = await deps.demo.start();
      changed(accountId, []);
      return { account: toAccount(mirror.accounts.get(accountId)!), visitorUrl };
    },

    'demo.status': () => ({ visitorUrl: deps.demo.visitorUrl }),

    'accounts.remove': async ({ accountId }) => {
      await accounts.remove(accountId);
      changed(accountId, []);
      return null;
    },

    'conversations.page': ({ filter, cursor, limit, accountId }) => {
      const page = mirror.conversations.page(filter, limit, cursor, accountId);
      return { ...page, items: page.items.map(summary), counts: mirror.conversations.counts(accountId) };
    },

    'conversations.get': ({ conversationId }) => {
      const found = mirror.conversations.get(conversationId);
      return found ? summary(found) : null;
    },

    'conversations.details': ({ conversationId }) => {
      const details = mirror.conversations.details(conversationId);
      if (!details) throw new ConsoleError('not-found', `Conversation ${conversationId} does not exist.`);
      return details;
    },

    'conversations.setStatus': ({ conversationId, status }) => {
      const row = conversationOrThrow(conversationId);
      accounts.setStatus(row, status);
      changed(row.accountId, [conversationId]);
      return summaryOf(conversationId);
    },

    'conversations.markRead': ({ conversationId }) => {
      const row = conversationOrThrow(conversationId);
      const updated = accounts.markRead(row);
      deps.attention.center.conversationSeen(conversationId);
      if (updated.length > 0) events.emit('messages.updated', { conversationId, messages: updated });
      changed(row.accountId, [conversationId]);
      return summaryOf(conversationId);
    },

    'conversations.watch': ({ conversationIds }) => {
      accounts.watch(conversationIds.map((id) => mirror.conversations.getRow(id)).filter((r) => r !== undefined));
      return null;
    },

    'typing.send': ({ conversationId, isTyping }) => {
      accounts.typing(conversationOrThrow(conversationId), isTyping);
      return null;
    },

    'messages.page': ({ conversationId, before, limit }) => {
      conversationOrThrow(conversationId);
      return mirror.messages.page(conversationId, limit, before);
    },

    'messages.send': ({ conversationId, content, clientId }) => {
      const row = conversationOrThrow(conversationId);
      const message = accounts.sendReply(row, content, clientId);
      events.emit('messages.added', { conversationId, messages: [message] });
      changed(row.accountId, [conversationId]);
      return message;
    },

    'outbox.retry': ({ messageId }) => {
      const { conversation, clientId } = ownReply(messageId);
      if (!accounts.retry(conversation, clientId)) throw new ConsoleError('bad-request', 'Only a failed reply can be retried.');
      return mirror.messages.get(messageId)!;
    },

    'outbox.discard': ({ messageId }) => {
      const { conversation, clientId } = ownReply(messageId);
      if (!accounts.discard(conversation, clientId)) throw new ConsoleError('bad-request', 'Only a failed reply can be discarded.');
      changed(conversation.accountId, [conversation.id]);
      return null;
    },

    'outbox.counts': () => mirror.accounts.list().map((a) => ({ accountId: a.id, ...accounts.outboxCounts(a.id) })),

    search: ({ query, limit }) => mirror.searchIndex.search(query, limit),

    'app.focus': (focus) => {
      deps.attention.focus.report(focus);
      accounts.setWindowFocused(focus.focused);
      return null;
    },

    'app.badge': () => deps.attention.badgeState(),

    'conversations.setMuted': ({ conversationId, muted }) => {
      const row = conversationOrThrow(conversationId);
      mirror.conversations.setMuted(conversationId, muted, Date.now());
      if (muted) deps.attention.center.conversationSeen(conversationId);
      changed(row.accountId, [conversationId]);
      return summaryOf(conversationId);
    },

    'notifications.log': (input) => deps.attention.log(input?.limit ?? 200),

    'notifications.clearLog': () => {
      deps.attention.decisions.clear();
      return null;
    },

    'notifications.test': () => deps.attention.center.sendTest(),

    'feed.page': ({ accountId, cursor, limit }) => ({ ...mirror.feed.page(limit, cursor, accountId), unread: mirror.feed.unread(accountId) }),

    'feed.markRead': ({ entryIds }) => {
      emitFeedChanges(mirror.feed.markRead(entryIds, Date.now()));
      return null;
    },

    'feed.markAllRead': ({ accountId }) => {
      emitFeedChanges(mirror.feed.markAllRead(Date.now(), accountId));
      return null;
    },

    'settings.get': () => deps.settings.get(),

    'settings.update': async (patch) => {
      const before = deps.settings.get();
      const next = deps.settings.update(patch);
      if (next.availability !== before.availability) await accounts.setAvailability(next.availability);
      deps.attention.refresh();
      events.emit('settings.changed', next);
      return next;
    },

    ...savedReplyHandlers({ mirror, events, clock: deps.clock ?? Date.now }),
    ...exportHandlers({ mirror, clock: deps.clock ?? Date.now }),

    'stats.get': (query) => mirror.stats.stats(query, (deps.clock ?? Date.now)()),
  } satisfies ConsoleApiHandlers;
}
