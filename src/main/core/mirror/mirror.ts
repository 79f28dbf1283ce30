// The mirror is the database's one owner: everything else reads and writes through it.
import type { OpenedDatabase } from '../db/open';
import { AccountsRepo } from './accounts-repo';
import { AttentionRepo } from './attention-repo';
import { ConversationsRepo } from './conversations-repo';
import { FeedRepo } from './feed-repo';
import { MessagesRepo } from './messages-repo';
import { OutboxRepo } from './outbox-repo';
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
  readonly feed: FeedRepo;

  constructor(private readonly database: OpenedDatabase) {
    this.conversations = new ConversationsRepo(database.db, database.sqlite);
    // Removing an account removes its conversations (ON DELETE CASCADE): their counts go too.
    this.accounts = new AccountsRepo(database.db, () => this.conversations.forgetCounts());
    this.messages = new MessagesRepo(database.db, database.sqlite);
    this.searchIndex = new SearchRepo(database.sqlite);
    this.outbox = new OutboxRepo(database.db, database.sqlite);
    this.cursors = new SyncCursorsRepo(database.db);
    this.attention = new AttentionRepo(database.sqlite);
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
    this.database.close();
  }
}
