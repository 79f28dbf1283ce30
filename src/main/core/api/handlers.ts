// The ConsoleApi implementation over the mirror. Transport-agnostic: no IPC, no sockets here.
import { ConsoleError, type ConsoleApiHandlers } from '../../../shared/contract';
import type { Account, ConnectionState } from '../../../shared/domain';
import type { EventBus } from '../events';
import type { Mirror } from '../mirror/mirror';
import type { SecretStore, SettingsStore } from '../settings/settings-store';
import type { AccountRow } from '../mirror/accounts-repo';

export interface ConnectionStatus {
  state: ConnectionState;
  detail: string | null;
}

export interface HandlerDeps {
  mirror: Mirror;
  events: EventBus;
  settings: SettingsStore;
  secrets: SecretStore;
  clock: () => number;
  app: { version: string; mode: 'electron' | 'web'; dataDir: string };
  /** The live state of an account's connection; accounts without a connector are offline. */
  connectionOf: (accountId: number) => ConnectionStatus | undefined;
}

export function createHandlers(deps: HandlerDeps) {
  const { mirror, events, clock } = deps;

  const toAccount = (row: AccountRow): Account => {
    const status = deps.connectionOf(row.id) ?? { state: 'offline', detail: null };
    return {
      id: row.id,
      kind: row.kind as Account['kind'],
      name: row.name,
      baseUrl: row.baseUrl,
      connectionState: status.state,
      stateDetail: status.detail,
      lastSyncedAt: row.lastSyncedAt,
    };
  };

  const conversationOrThrow = (id: number) => {
    const row = mirror.conversations.getRow(id);
    if (!row) throw new ConsoleError('not-found', `Conversation ${id} does not exist.`);
    return row;
  };

  const changed = (accountId: number, conversationIds: number[]) => events.emit('conversations.changed', { accountId, conversationIds });

  return {
    'app.info': () => ({ ...deps.app, secretsEncrypted: deps.secrets.encrypted }),

    'accounts.list': () => mirror.accounts.list().map(toAccount),

    'conversations.page': ({ filter, cursor, limit, accountId }) => ({
      ...mirror.conversations.page(filter, limit, cursor, accountId),
      counts: mirror.conversations.counts(accountId),
    }),

    'conversations.get': ({ conversationId }) => mirror.conversations.get(conversationId) ?? null,

    'conversations.setStatus': ({ conversationId, status }) => {
      const row = conversationOrThrow(conversationId);
      mirror.conversations.setStatus(conversationId, status, row.serverStatus === null ? 'local' : 'server', clock());
      changed(row.accountId, [conversationId]);
      return mirror.conversations.get(conversationId)!;
    },

    'conversations.markRead': ({ conversationId }) => {
      const row = conversationOrThrow(conversationId);
      const updated = mirror.transaction(() => {
        const read = mirror.messages.markRead(conversationId, 'visitor', clock());
        mirror.conversations.recountUnreadFor(conversationId);
        return read;
      });
      if (updated.length > 0) events.emit('messages.updated', { conversationId, messages: updated });
      changed(row.accountId, [conversationId]);
      return mirror.conversations.get(conversationId)!;
    },

    'messages.page': ({ conversationId, before, limit }) => {
      conversationOrThrow(conversationId);
      return mirror.messages.page(conversationId, limit, before);
    },

    'messages.send': ({ conversationId, content, clientId }) => {
      const row = conversationOrThrow(conversationId);
      const existing = mirror.messages.findByClientId(clientId);
      if (existing) return mirror.messages.get(existing.id)!;
      const now = clock();
      const message = mirror.transaction(() => {
        const m = mirror.messages.insertPending({ conversationId, clientId, senderType: 'admin', senderName: null, content, createdAt: now });
        mirror.conversations.touch(conversationId, now, content.slice(0, 200), now);
        return m;
      });
      events.emit('messages.added', { conversationId, messages: [message] });
      changed(row.accountId, [conversationId]);
      return message;
    },

    search: ({ query, limit }) => mirror.searchIndex.search(query, limit),

    'settings.get': () => deps.settings.get(),

    'settings.update': (patch) => {
      const next = deps.settings.update(patch);
      events.emit('settings.changed', next);
      return next;
    },
  } satisfies ConsoleApiHandlers;
}
