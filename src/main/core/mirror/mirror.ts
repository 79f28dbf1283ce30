// The mirror is the database's one owner: everything else reads and writes through it.
import type { OpenedDatabase } from '../db/open';
import { AccountsRepo } from './accounts-repo';
import { AttentionRepo } from './attention-repo';
import { ConversationsRepo } from './conversations-repo';
import { FeedRepo } from './feed-repo';
import { MessageIndex, type MessageIndexOptions } from './message-index';
import { MessagesRepo } from './messages-repo';
import { OutboxRepo } from './outbox-repo';
import { SavedRepliesRepo } from './saved-replies-repo';
import { StatsRepo } from './stats-repo';
import { SyncCursorsRepo } from './sync-cursors-repo';
import { SearchRepo } from './search-repo';

export class Mirror {
  readonly accounts: AccountsRepo;
  readonly conversations: ConversationsRepo;
  readonly messages: MessagesRepo;
  readonly searchIndex: SearchRepo;
  readonly outbox: OutboxRepo;
  readonly cursors: SyncCursorsRepo;
  readonly attention: AttentionRepo;
  readonly savedReplies: SavedRepliesRepo;
  readonly stats: StatsRepo;
  readonly feed: FeedRepo;
  /** The message search index, brought up to date after commits (see MessageIndex). */
  readonly messageIndex: MessageIndex;

  /** `options.timers`: when to index new messages; without them, search indexes what it needs. */
  constructor(
    private readonly database: OpenedDatabase,
    options: MessageIndexOptions = {},
  ) {
    this.messageIndex = new MessageIndex(database.sqlite, options);
    this.conversations = new ConversationsRepo(database.db, database.sqlite);
    // Removing an account removes its conversations (ON DELETE CASCADE): their counts go too.
    this.accounts = new AccountsRepo(database.db, () => this.conversations.forgetCounts());
    this.messages = new MessagesRepo(database.db, database.sqlite, this.messageIndex);
    this.searchIndex = new SearchRepo(database.sqlite, this.messageIndex);
    this.outbox = new OutboxRepo(database.db, database.sqlite);
    this.cursors = new SyncCursorsRepo(database.sqlite);
    this.attention = new AttentionRepo(database.sqlite);
    this.savedReplies = new SavedRepliesRepo(database.db);
    this.stats = new StatsRepo(database.sqlite);
    this.feed = new FeedRepo(database.sqlite);
  }

  /** Runs fn in one immediate transaction: a burst of realtime events commits once. */
  transaction<T>(fn: () => T): T {
    try {
      return this.database.sqlite.transaction(fn).immediate();
    } catch (error) {
      // Status counts moved along with writes that have just been rolled back.
      this.conversations.forgetCounts();
      throw error;
    }
  }

  close(): void {
    this.messageIndex.close();
    this.database.close();
  }
}
