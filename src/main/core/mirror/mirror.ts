// The mirror is the database's one owner: everything else reads and writes through it.
import type { OpenedDatabase } from '../db/open';
import type { CheckpointRunner } from '../db/checkpoint-runner';
import { WalCheckpointer } from '../db/wal-checkpointer';
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

export interface MirrorOptions extends MessageIndexOptions {
  /**
   * How the WAL checkpointer runs its checkpoints (the app: a worker's connection,
   * db/checkpoint-worker.ts); on the mirror's connection when omitted. The mirror closes it.
   */
  checkpointRunner?: CheckpointRunner;
}

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
  /** With timers: WAL checkpoints after commits, never inside one (see WalCheckpointer). */
  readonly checkpointer: WalCheckpointer | null;

  /**
   * `options.timers`: when to index new messages and checkpoint the WAL; without them, search
   * indexes what it needs and SQLite checkpoints inside commits (open.ts's threshold).
   */
  constructor(
    private readonly database: OpenedDatabase,
    { checkpointRunner, ...options }: MirrorOptions = {},
  ) {
    const checkpointer = options.timers
      ? new WalCheckpointer(database.sqlite, { timers: options.timers, ...(options.log ? { log: options.log } : {}), ...(checkpointRunner ? { runner: checkpointRunner } : {}) })
      : null;
    // Without timers nothing would ever ask it to run: let go of its worker now.
    if (!checkpointer) checkpointRunner?.close();
    this.checkpointer = checkpointer;
    this.messageIndex = new MessageIndex(database.sqlite, checkpointer ? { ...options, committed: () => checkpointer.committed() } : options);
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
      const result = this.database.sqlite.transaction(fn).immediate();
      // A nested call commits nothing itself: the outer one says so when it does.
      if (!this.database.sqlite.inTransaction) this.checkpointer?.committed();
      return result;
    } catch (error) {
      // Status counts moved along with writes that have just been rolled back.
      this.conversations.forgetCounts();
      throw error;
    }
  }

  close(): void {
    // The worker's connection closes first: the mirror's, the last one, then copies the whole WAL
    // back and deletes it, which the clean-close mark (db/clean-close.ts) requires.
    this.checkpointer?.close();
    this.messageIndex.close();
    this.database.close();
  }
}
