// ConversationsRepo's edges the mutation run of the mirror (session 6) found untested: what the
// visitor search index holds (FTS5's integrity-check against the conversations table), previews
// after a long or repeated message is removed, unchanged fields that write nothing, and the
// remembered counts when a conversation leaves 'closed'. Real SQLite file, in process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import type { RemoteConversation } from '../../src/main/core/mirror/types';
import { openTempMirrorWithAccount, type TempMirror } from '../support/temp-mirror-account';

let ctx: TempMirror;
let mirror: Mirror;
let accountId: number;

beforeEach(() => ({ ctx, mirror, accountId } = openTempMirrorWithAccount()));
afterEach(() => ctx.close());

const upsert = (remote: RemoteConversation, now = 5000) => mirror.transaction(() => mirror.conversations.upsert(accountId, remote, now, 'sync'));
const message = (conversationId: number, remoteId: string, content: string, createdAt: number) =>
  mirror.transaction(() => mirror.messages.apply(conversationId, [{ remoteId, seq: Number(remoteId), senderType: 'visitor', content, createdAt }]));
/** FTS5 compares the index with its content table (rank 1) and throws when they differ. */
const checkIndex = (table: 'conversations_fts' | 'messages_fts') => ctx.database.sqlite.prepare(`INSERT INTO ${table}(${table}, rank) VALUES('integrity-check', 1)`).run();

describe('the visitor search index', () => {
  it('matches the conversations table after creating, renaming and removing visitors, named or not', () => {
    const nameless = upsert({ remoteId: 'a', createdAt: 1000 }).row;
    upsert({ remoteId: 'b', createdAt: 1000, visitorEmail: 'ana@example.com' });
    upsert({ remoteId: 'c', createdAt: 1000 });
    checkIndex('conversations_fts');
    // An email arrives for a visitor still without a name, and the other gets a name.
    upsert({ remoteId: 'a', createdAt: 1000, visitorEmail: 'budi@example.com' });
    upsert({ remoteId: 'b', createdAt: 1000, visitorName: 'Ana' });
    upsert({ remoteId: 'c', createdAt: 1000, visitorName: 'Citra' });
    checkIndex('conversations_fts');
    const ghost = upsert({ remoteId: 'ghost', createdAt: 1000, visitorName: 'Casper', visitorEmail: 'casper@example.com' }).row;
    expect(mirror.transaction(() => mirror.conversations.removeGhost(ghost.id))).toBe(true);
    checkIndex('conversations_fts');
    expect(mirror.conversations.get(nameless.id)?.visitorEmail).toBe('budi@example.com');
  });
});

describe('previews after a removal', () => {
  it('forgetPreviewOf cuts the newest message left to 200 characters', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000 });
    const long = 'z'.repeat(260);
    message(row.id, '1', long, 2000);
    mirror.conversations.touch(row.id, 3000, 'gone', 3000);
    mirror.conversations.forgetPreviewOf(row.id, { createdAt: 3000, content: 'gone' }, 4000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 2000, lastMessagePreview: long.slice(0, 200) });
  });

  it('refreshPreview moves the last activity back when the message left says the same as the deleted one', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000 });
    message(row.id, '1', 'ok', 2000);
    message(row.id, '2', 'ok', 3000);
    mirror.conversations.touch(row.id, 3000, 'ok', 3000);
    mirror.transaction(() => mirror.messages.markDeleted(row.id, ['2'], 4000));
    mirror.conversations.refreshPreview(row.id, 4000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 2000, lastMessagePreview: 'ok' });
  });
});

describe('upserts that change nothing', () => {
  it('an unchanged username or presence writes nothing', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000, visitorUsername: 'ana', visitorPresence: 'away' }, 2000);
    const again = upsert({ remoteId: 'a', createdAt: 1000, visitorUsername: 'ana', visitorPresence: 'away' }, 3000);
    expect(again.created).toBe(false);
    expect(mirror.conversations.getRow(row.id)?.updatedAt).toBe(2000);
    upsert({ remoteId: 'a', createdAt: 1000, visitorUsername: 'ana2' }, 4000);
    expect(mirror.conversations.getRow(row.id)).toMatchObject({ updatedAt: 4000, visitorUsername: 'ana2', visitorPresence: 'away' });
  });
});

describe('remembered status counts', () => {
  it('a conversation leaving closed leaves the closed count', () => {
    upsert({ remoteId: 'a', createdAt: 1000, serverStatus: 'closed' });
    expect(mirror.conversations.counts()).toEqual({ active: 0, resolved: 0, closed: 1, all: 1 });
    upsert({ remoteId: 'a', createdAt: 1000, serverStatus: 'active' });
    expect(mirror.conversations.counts()).toEqual({ active: 1, resolved: 0, closed: 0, all: 1 });
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 1, resolved: 0, closed: 0, all: 1 });
  });
});
