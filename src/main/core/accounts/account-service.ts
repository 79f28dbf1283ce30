// Owns each account's runtime (connector + sync + outbox) and the actions the inbox takes on
// conversations. Secrets (the backend's token) stay in the SecretStore, never in SQLite.
import { randomUUID } from 'node:crypto';
import { ConsoleError } from '../../../shared/contract';
import type { Availability, Capabilities, ConnectionStatus, ConversationStatus, Message } from '../../../shared/domain';
import type { ConnectInput, SignInInput } from '../../../shared/kinds';
import type { Connector } from '../connectors/connector';
import { CredentialsVault, type CredentialsPort } from '../connectors/credentials';
import { assertTransportAllowed } from '../connectors/site-url';
import { builtInKinds } from '../connectors/kinds';
import { KindRegistry, accountConfig, type KindContext } from '../connectors/registry';
import type { SiteSignIn } from '../connectors/site-sign-in';
import type { EventBus } from '../events';
import type { AccountRow } from '../mirror/accounts-repo';
import { UNREAD_SENDERS } from '../mirror/messages-repo';
import type { Mirror } from '../mirror/mirror';
import type { ConversationRow } from '../mirror/rows';
import type { SecretStore } from '../settings/settings-store';
import { AccountSync } from '../sync/account-sync';
import { Outbox } from '../sync/outbox';
import { startConversation } from './start-conversation';
import type { PollIntervals } from '../sync/poller';
import type { Timers } from '../sync/timers';

/** Tests replace the kind's connector with their own; the app builds it from the kind. */
export type ConnectorFactory = (account: AccountRow, credentials: CredentialsPort) => Connector;

export interface AccountServiceDeps {
  mirror: Mirror;
  events: EventBus;
  secrets: SecretStore;
  /** The kinds it can connect; every built-in kind when omitted. */
  kinds?: KindRegistry;
  /** Poll timing for kinds without an account-wide realtime channel (tests shorten it). */
  pollIntervals?: PollIntervals;
  /** Overrides the kinds' own connectors (tests). */
  connectorFactory?: ConnectorFactory;
  clock: () => number;
  random: () => number;
  timers: Timers;
  log: (message: string) => void;
  fetch?: typeof fetch;
  /** The desktop app's sign-in window (sites that sign in on their own page). */
  siteSignIn?: SiteSignIn;
}

interface Runtime {
  connector: Connector;
  sync: AccountSync;
  outbox: Outbox;
}

export class AccountService {
  private readonly runtimes = new Map<number, Runtime>();
  private availability: Availability = 'online';
  private windowFocused = false;
  private readonly vault: CredentialsVault;
  private readonly ctx: KindContext;
  private readonly kinds: KindRegistry;

  constructor(private readonly deps: AccountServiceDeps) {
    this.kinds = deps.kinds ?? new KindRegistry(builtInKinds);
    this.vault = new CredentialsVault(deps.secrets);
    const fetchFn = deps.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
    this.ctx = { fetch: fetchFn, clock: deps.clock, random: deps.random, timers: deps.timers, log: deps.log, ...(deps.siteSignIn ? { siteSignIn: deps.siteSignIn } : {}) };
  }

  /** What an account's kind can do (from its definition and stored config). */
  capabilitiesOf(account: AccountRow): Capabilities {
    const running = this.runtimes.get(account.id);
    if (running) return running.connector.capabilities;
    return this.kinds.get(account.kind).capabilities(accountConfig(account));
  }

  /** When the account's sign-in ends without renewal (the kind says), for "Sign in again" ahead of time. */
  signInEndsAt(account: AccountRow): number | null {
    const credentials = this.vault.get(account.id);
    const kind = this.kinds.has(account.kind) ? this.kinds.get(account.kind) : null;
    return credentials && kind?.signInEndsAt ? kind.signInEndsAt(account, credentials) : null;
  }

  connectionOf(accountId: number): ConnectionStatus | undefined {
    return this.runtimes.get(accountId)?.sync.status;
  }

  outboxCounts(accountId: number): { pending: number; failed: number } {
    return this.deps.mirror.outbox.counts(accountId);
  }

  /** Every saved account not running yet (one connected or signed in meanwhile already is). */
  async startAll(): Promise<void> {
    await Promise.all(this.deps.mirror.accounts.list().filter((a) => !this.runtimes.has(a.id)).map((a) => this.start(a)));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runtimes.keys()].map((id) => this.stop(id)));
  }

  private async start(account: AccountRow): Promise<void> {
    const { deps } = this;
    let connector: Connector;
    try {
      const kind = this.kinds.get(account.kind);
      const renew = kind.refresh?.bind(kind);
      const credentials = this.vault.port(account.id, renew && ((current) => renew(account, current, this.ctx)));
      connector = deps.connectorFactory ? deps.connectorFactory(account, credentials) : kind.create(account, credentials, this.ctx);
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
      signIn: () => runtime.sync.signIn,
      onAuthExpired: (reason, signIn) => runtime.sync.markAuthExpired(reason, signIn),
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
      ...(deps.pollIntervals ? { pollIntervals: deps.pollIntervals } : {}),
    });
    this.runtimes.set(account.id, runtime);
    runtime.sync.setFocused(this.windowFocused);
    if (!this.vault.get(account.id)) runtime.sync.markAuthExpired('no saved sign-in');
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

  /** The site's AI auto-reply switch, where the account's kind has one. */
  async aiReplies(accountId: number, enabled?: boolean): Promise<{ enabled: boolean }> {
    const { connector } = this.runtime(accountId);
    if (!connector.capabilities.aiReplies || !connector.aiReplies || !connector.setAiReplies) {
      throw new ConsoleError('bad-request', 'This site has no AI replies to switch.');
    }
    return { enabled: enabled === undefined ? await connector.aiReplies() : await connector.setAiReplies(enabled) };
  }

  /** Agent kinds: starts a conversation on the backend; resolves with its row once the engine mirrored it. */
  startConversation(accountId: number, input: { content: string; model?: string }): Promise<ConversationRow> {
    const { connector } = this.runtime(accountId);
    const { mirror, events, timers } = this.deps;
    return startConversation({ accountId, connector, mirror, events, timers }, input);
  }

  /** Agent kinds: the models the account has used, newest first (empty for other kinds). */
  knownModels(accountId: number): string[] {
    return this.runtime(accountId).connector.knownModels?.() ?? [];
  }

  private runtime(accountId: number): Runtime {
    const runtime = this.runtimes.get(accountId);
    if (!runtime) throw new ConsoleError('unavailable', 'This account is not connected.');
    return runtime;
  }

  /** Adds an account of any registered kind: the kind signs in and discovers, then syncing starts. */
  async connect(input: ConnectInput, extraConfig: Record<string, unknown> = {}): Promise<AccountRow> {
    const kind = this.kinds.get(input.kind);
    assertTransportAllowed(input.siteUrl, input.allowInsecure === true);
    const connected = await kind.connect(input, this.ctx);
    // Twice the same site: every message would show twice, and replies sent from one account
    // would be echoed into the other. Signing in again is what the existing account offers.
    const existing = this.deps.mirror.accounts.findSite(input.kind, connected.baseUrl);
    if (existing) throw new ConsoleError('bad-request', `This site is already connected as "${existing.name}".`);
    const account = this.deps.mirror.accounts.create(
      { kind: input.kind, name: input.name ?? connected.name, baseUrl: connected.baseUrl, config: { ...connected.config, ...extraConfig } },
      this.deps.clock(),
    );
    this.vault.set(account.id, connected.credentials);
    await this.start(account);
    return account;
  }

  /** "Sign in again": new credentials from the kind, then reconnect and send what waited. */
  async signIn(input: SignInInput): Promise<void> {
    const account = this.deps.mirror.accounts.get(input.accountId);
    if (!account) throw new ConsoleError('not-found', `Account ${input.accountId} does not exist.`);
    if (account.kind !== input.kind) throw new ConsoleError('bad-request', `Account ${input.accountId} is not of kind "${input.kind}".`);
    const credentials = await this.kinds.get(account.kind).signIn(account, input, this.ctx);
    this.vault.set(account.id, credentials);
    const runtime = this.runtimes.get(account.id);
    if (!runtime) return this.start(account);
    await runtime.sync.reauthenticated();
    runtime.outbox.resume();
  }

  async remove(accountId: number): Promise<void> {
    await this.stop(accountId);
    this.vault.delete(accountId);
    this.deps.mirror.accounts.remove(accountId);
  }

  sendReply(conversation: ConversationRow, content: string, clientId: string): Message {
    const existing = this.deps.mirror.messages.findByClientId(conversation.id, clientId);
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
      const read = mirror.messages.markRead(conversation.id, UNREAD_SENDERS, clock());
      mirror.conversations.recountUnreadFor(conversation.id);
      const { readReceipts, serverReadState } = runtime.connector.capabilities;
      if (readReceipts || serverReadState) runtime.outbox.enqueueRead(conversation.id, remoteIds, randomUUID());
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

  /** The app window gained or lost focus (polling kinds check more often while it is focused). */
  setWindowFocused(focused: boolean): void {
    this.windowFocused = focused;
    for (const runtime of this.runtimes.values()) runtime.sync.setFocused(focused);
  }

  resync(reason: string): void {
    for (const runtime of this.runtimes.values()) runtime.sync.resync(reason);
  }
}
