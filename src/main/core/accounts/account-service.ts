// Owns each account's runtime (connector + sync + outbox) and the actions the inbox takes on
// conversations. Secrets (the backend's token) stay in the SecretStore, never in SQLite.
import { randomUUID } from 'node:crypto';
import { ConsoleError } from '../../../shared/contract';
import type { Availability, ConversationStatus, Message } from '../../../shared/domain';
import type { ConnectionStatus } from '../api/handlers';
import { ConnectorError, type Connector } from '../connectors/connector';
import { discoverPortfolio, signInPortfolio, type PusherSettings } from '../connectors/portfolio/portfolio-connector';
import type { EventBus } from '../events';
import type { AccountRow } from '../mirror/accounts-repo';
import type { Mirror } from '../mirror/mirror';
import type { ConversationRow } from '../mirror/rows';
import type { SecretStore } from '../settings/settings-store';
import { AccountSync } from '../sync/account-sync';
import { Outbox } from '../sync/outbox';
import type { Timers } from '../sync/timers';
import type { ConnectorFactory, PortfolioAccountConfig } from './connector-factory';

export interface AccountServiceDeps {
  mirror: Mirror;
  events: EventBus;
  secrets: SecretStore;
  connectorFactory: ConnectorFactory;
  clock: () => number;
  random: () => number;
  timers: Timers;
  log: (message: string) => void;
  fetch?: typeof fetch;
}

interface Runtime {
  connector: Connector;
  sync: AccountSync;
  outbox: Outbox;
}

const tokenKey = (accountId: number) => `account:${accountId}:token`;

export class AccountService {
  private readonly runtimes = new Map<number, Runtime>();
  private availability: Availability = 'online';

  constructor(private readonly deps: AccountServiceDeps) {}

  connectionOf(accountId: number): ConnectionStatus | undefined {
    return this.runtimes.get(accountId)?.sync.status;
  }

  outboxCounts(accountId: number): { pending: number; failed: number } {
    return this.deps.mirror.outbox.counts(accountId);
  }

  async startAll(): Promise<void> {
    await Promise.all(this.deps.mirror.accounts.list().map((a) => this.start(a)));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runtimes.keys()].map((id) => this.stop(id)));
  }

  private async start(account: AccountRow): Promise<void> {
    const { deps } = this;
    let connector: Connector;
    try {
      connector = deps.connectorFactory(account, () => deps.secrets.get(tokenKey(account.id)));
    } catch (error) {
      deps.log(`account ${account.id}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const runtime: Runtime = { connector } as Runtime;
    runtime.outbox = new Outbox({
      accountId: account.id,
      mirror: deps.mirror,
      connector,
      events: deps.events,
      clock: deps.clock,
      random: deps.random,
      timers: deps.timers,
      log: deps.log,
      onAuthExpired: (reason) => runtime.sync.markAuthExpired(reason),
      onRejected: (conversationId) => {
        const row = deps.mirror.conversations.getRow(conversationId);
        if (row) runtime.sync.reconcile(`a change to conversation ${row.remoteId} was refused`);
      },
    });
    runtime.sync = new AccountSync({
      accountId: account.id,
      connector,
      mirror: deps.mirror,
      events: deps.events,
      clock: deps.clock,
      timers: deps.timers,
      log: deps.log,
      onLive: () => runtime.outbox.reconnected(),
    });
    this.runtimes.set(account.id, runtime);
    if (!deps.secrets.get(tokenKey(account.id))) runtime.sync.markAuthExpired('no saved sign-in');
    else runtime.outbox.kick();
    await connector.setAvailability(this.availability);
    await runtime.sync.start();
  }

  private async stop(accountId: number): Promise<void> {
    const runtime = this.runtimes.get(accountId);
    if (!runtime) return;
    this.runtimes.delete(accountId);
    runtime.outbox.stop();
    await runtime.sync.stop();
  }

  private runtime(accountId: number): Runtime {
    const runtime = this.runtimes.get(accountId);
    if (!runtime) throw new ConsoleError('unavailable', 'This account is not connected.');
    return runtime;
  }

  /** Adds a portfolio site: discovers its realtime settings, signs in, starts syncing. */
  async connectPortfolio(input: {
    siteUrl: string;
    email: string;
    password: string;
    pusher?: PusherSettings | undefined;
    name?: string | undefined;
    extraConfig?: Record<string, unknown>;
  }): Promise<AccountRow> {
    const baseUrl = normalizeSiteUrl(input.siteUrl);
    const { token, pusher, extensions } = await this.signInAndDiscover(baseUrl, input.email, input.password, input.pusher);
    const config: PortfolioAccountConfig = { ...input.extraConfig, pusher, extensions };
    const account = this.deps.mirror.accounts.create({ kind: 'portfolio', name: input.name ?? new URL(baseUrl).host, baseUrl, config }, this.deps.clock());
    this.deps.secrets.set(tokenKey(account.id), token);
    await this.start(account);
    return account;
  }

  private async signInAndDiscover(baseUrl: string, email: string, password: string, manual?: PusherSettings) {
    try {
      const discovered = manual ? null : await discoverPortfolio(baseUrl, this.deps.fetch);
      const pusher = manual ?? discovered;
      if (!pusher) {
        throw new ConsoleError('bad-request', 'This site does not publish its realtime settings. Enter the Pusher key and cluster by hand.');
      }
      const { token } = await signInPortfolio(baseUrl, email, password, this.deps.fetch);
      return { token, pusher, extensions: discovered !== null };
    } catch (error) {
      if (error instanceof ConsoleError) throw error;
      if (error instanceof ConnectorError) {
        if (error.kind === 'auth') throw new ConsoleError('forbidden', 'Wrong email or password.');
        if (error.kind === 'transient') throw new ConsoleError('unavailable', `The site cannot be reached: ${error.message}`);
        throw new ConsoleError('bad-request', `This site is not a Switchboard-compatible backend: ${error.message}`);
      }
      throw error;
    }
  }

  async signIn(accountId: number, email: string, password: string): Promise<void> {
    const account = this.deps.mirror.accounts.get(accountId);
    if (!account) throw new ConsoleError('not-found', `Account ${accountId} does not exist.`);
    let token: string;
    try {
      ({ token } = await signInPortfolio(account.baseUrl, email, password, this.deps.fetch));
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'auth') throw new ConsoleError('forbidden', 'Wrong email or password.');
      throw new ConsoleError('unavailable', `Could not sign in: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.deps.secrets.set(tokenKey(accountId), token);
    const runtime = this.runtimes.get(accountId);
    if (!runtime) return this.start(account);
    await runtime.sync.reauthenticated();
    runtime.outbox.resume();
  }

  async remove(accountId: number): Promise<void> {
    await this.stop(accountId);
    this.deps.secrets.delete(tokenKey(accountId));
    this.deps.mirror.accounts.remove(accountId);
  }

  sendReply(conversation: ConversationRow, content: string, clientId: string): Message {
    const existing = this.deps.mirror.messages.findByClientId(clientId);
    if (existing) return this.deps.mirror.messages.get(existing.id)!;
    return this.runtime(conversation.accountId).outbox.enqueueReply(conversation.id, content, clientId);
  }

  setStatus(conversation: ConversationRow, status: ConversationStatus): void {
    const runtime = this.runtime(conversation.accountId);
    const local = !runtime.connector.capabilities.serverStatus;
    this.deps.mirror.transaction(() => {
      this.deps.mirror.conversations.setStatus(conversation.id, status, local ? 'local' : 'server', this.deps.clock());
      if (!local) runtime.outbox.enqueueStatus(conversation.id, status, randomUUID());
    });
  }

  markRead(conversation: ConversationRow): Message[] {
    const runtime = this.runtime(conversation.accountId);
    const { mirror, clock } = this.deps;
    return mirror.transaction(() => {
      const remoteIds = mirror.messages.unreadRemoteIds(conversation.id);
      const read = mirror.messages.markRead(conversation.id, 'visitor', clock());
      mirror.conversations.recountUnreadFor(conversation.id);
      if (runtime.connector.capabilities.readReceipts) runtime.outbox.enqueueRead(conversation.id, remoteIds, randomUUID());
      return read;
    });
  }

  watch(conversations: ConversationRow[]): void {
    const byAccount = new Map<number, string[]>();
    for (const c of conversations) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), c.remoteId]);
    for (const [accountId, runtime] of this.runtimes) runtime.connector.watch(byAccount.get(accountId) ?? []);
  }

  typing(conversation: ConversationRow, isTyping: boolean): void {
    this.runtimes.get(conversation.accountId)?.connector.sendTyping(conversation.remoteId, isTyping);
  }

  retry(conversation: ConversationRow, clientId: string): boolean {
    return this.runtime(conversation.accountId).outbox.retry(clientId);
  }

  discard(conversation: ConversationRow, clientId: string): boolean {
    return this.runtime(conversation.accountId).outbox.discard(clientId);
  }

  async setAvailability(availability: Availability): Promise<void> {
    this.availability = availability;
    await Promise.all([...this.runtimes.values()].map((r) => r.connector.setAvailability(availability)));
  }

  resync(reason: string): void {
    for (const runtime of this.runtimes.values()) runtime.sync.resync(reason);
  }
}

export function normalizeSiteUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(input.trim()) ? input.trim() : `https://${input.trim()}`);
  } catch {
    throw new ConsoleError('bad-request', 'Enter the address of your site, like https://example.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConsoleError('bad-request', 'The site address must start with https:// or http://.');
  return url.origin;
}
