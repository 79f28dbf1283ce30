// Writes for the WAL checkpoint tests: one conversation, and live messages for it.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import type { RemoteMessage } from '../../src/main/core/mirror/types';

export function seedConversation(mirror: Mirror): number {
  const account = mirror.accounts.create({ kind: 'portfolio', name: 'wal', baseUrl: 'http://127.0.0.1:9' }, 1);
  return mirror.conversations.upsert(account.id, { remoteId: 'c1', visitorName: 'V', createdAt: 1, lastMessageAt: 1, serverStatus: 'active' }, 1).row.id;
}

/** Message `i`, with text long enough that a few hundred of them fill thousands of WAL frames. */
export const liveMessage = (i: number): RemoteMessage => ({
  remoteId: String(i),
  seq: i,
  senderType: 'visitor',
  content: `message ${i} ${'lorem ipsum dolor sit amet '.repeat(40)}`,
  createdAt: 1000 + i,
  readAt: null,
});

/** The WAL's state from its -shm index: mxFrame (frames in the WAL), nBackfill (frames copied into the file). */
export function walIndex(file: string): { frames: number; backfill: number } {
  const fd = openSync(`${file}-shm`, 'r');
  try {
    const b = Buffer.alloc(100);
    readSync(fd, b, 0, 100, 0);
    return { frames: b.readUInt32LE(16), backfill: b.readUInt32LE(96) };
  } finally {
    closeSync(fd);
  }
}
