// A temp mirror with one jwt-ws account and one room, the set-up of the message repository tests.
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { openTempMirror } from './temp-db';

export function openTempRoom(): { ctx: ReturnType<typeof openTempMirror>; conversationId: number } {
  const ctx = openTempMirror();
  const account = ctx.mirror.accounts.create({ kind: 'jwt-ws', name: 'Rooms', baseUrl: 'http://x' }, 1);
  const { row } = ctx.mirror.conversations.upsert(account.id, { remoteId: 'room-1', createdAt: 100 }, 100, 'sync');
  return { ctx, conversationId: row.id };
}

/** A visitor's message as a backend sends it. */
export const remoteMessage = (remoteId: string, content: string, createdAt: number, patch: Partial<RemoteMessage> = {}): RemoteMessage => ({ remoteId, senderType: 'visitor', content, createdAt, ...patch });
