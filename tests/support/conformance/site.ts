// What the connector conformance suite needs from a backend kind: a site it can drive from the
// outside (a visitor writes, realtime drops, credentials expire) and read the truth of. Each
// kind supplies one, with its real reference backend; fakes cover capability combinations that
// no reference backend has.
import type { Core, CoreOptions } from '../../../src/main/core/core';
import type { Capabilities, FeedEntry } from '../../../src/shared/domain';
import type { SignInInput } from '../../../src/shared/kinds';

export interface SiteMessage {
  content: string;
  /** The console's owner, or anyone else (visitor, student, member, agent). */
  from: 'owner' | 'other';
}

export interface ConformanceSite {
  /** What the kind is expected to declare (checked against Account.capabilities). */
  readonly capabilities: Capabilities;
  /** Options the core needs besides the defaults (fakes pass their kind). */
  readonly coreOptions: Partial<CoreOptions>;
  /** Adds the account through the contract, as the UI does; returns its id. */
  addAccount(core: Core): Promise<number>;
  /** Someone other than the owner writes; returns the conversation's remote id. */
  visitorWrites(text: string, conversationRemoteId?: string): Promise<string>;
  /** The server's messages of one conversation, oldest first. */
  serverMessages(conversationRemoteId: string): Promise<SiteMessage[]>;
  /** serverStatus kinds: the status on the server. */
  serverStatus?(conversationRemoteId: string): Promise<string>;
  /** readReceipts kinds: every message of the visitor is read on the server. */
  visitorMessagesRead?(conversationRemoteId: string): Promise<boolean>;
  /** typing kinds: the visitor has seen the owner typing since the site started. */
  visitorSawTyping?(conversationRemoteId: string): Promise<boolean>;
  /** From now on, replies are stored by the server but their answer never reaches the console. */
  holdReplies(): void;
  releaseReplies(): void;
  /** The console's realtime link goes away; REST and visitors keep working. */
  dropRealtime(): Promise<void>;
  restoreRealtime(): Promise<void>;
  /** Every credential the console holds becomes invalid. */
  expireCredentials(): Promise<void>;
  signInInput(accountId: number): SignInInput;
  /**
   * Feed kinds whose titles are not the text written (a title names the sender): the text the
   * suite wrote for this entry, when the entry is right. Default: the entry's title.
   */
  feedLabel?(entry: FeedEntry): string;
  /** A malformed realtime event reaches the console (kinds with a realtime channel). */
  sendMalformed?(conversationRemoteId: string): Promise<void>;
  close(): Promise<void>;
}

export interface ConformanceSubject {
  name: string;
  /** What the kind declares; decides which scenarios apply. */
  capabilities: Capabilities;
  start(): Promise<ConformanceSite>;
}
