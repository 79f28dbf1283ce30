// A room's other members in the mirror (jwt-ws): written with their conversation, replaced as a
// whole (members who left are gone), most present first in the details, and the direct room's
// other side kept on the conversation itself for the list and the header.
import { afterEach, describe, expect, it } from 'vitest';
import { openTempMirror } from '../support/temp-db';

let ctx: ReturnType<typeof openTempMirror>;
afterEach(() => ctx?.close());

describe('room members', () => {
  it('are written with the conversation, replaced as a whole, listed most present first; presence stays on the summary', () => {
    ctx = openTempMirror();
    const { mirror } = ctx;
    const account = mirror.accounts.create({ kind: 'jwt-ws', name: 'Rooms', baseUrl: 'http://x' }, 1);
    const upsert = (over: object) => mirror.transaction(() => mirror.conversations.upsert(account.id, { remoteId: 'room-1', createdAt: 100, ...over }, 200, 'sync').row);
    const row = upsert({
      members: [
        { remoteId: 'u-zed', name: 'Zed', presence: 'offline' },
        { remoteId: 'u-ana', name: 'Ana', presence: 'away' },
        { remoteId: 'u-bo', name: 'Bo', presence: 'online' },
        { remoteId: 'u-cy', name: 'Cy', presence: 'busy' },
      ],
      visitorOnline: true,
    });
    expect(mirror.conversations.details(row.id)!.members!.map((m) => `${m.name}:${m.presence}`)).toEqual(['Bo:online', 'Cy:busy', 'Ana:away', 'Zed:offline']);
    expect(mirror.conversations.get(row.id)!.visitorPresence).toBeNull();

    // Zed left, Ana came back online: the list is the new one.
    upsert({ members: [{ remoteId: 'u-ana', name: 'Ana', presence: 'online' }, { remoteId: 'u-bo', name: 'Bo', presence: 'online' }, { remoteId: 'u-cy', name: 'Cy', presence: 'busy' }] });
    expect(mirror.conversations.details(row.id)!.members!.map((m) => `${m.name}:${m.presence}`)).toEqual(['Ana:online', 'Bo:online', 'Cy:busy']);
    // No members in an update: left as they are.
    upsert({ visitorName: 'Renamed' });
    expect(mirror.conversations.details(row.id)!.members).toHaveLength(3);
    expect(mirror.transaction(() => mirror.conversations.members.replace(row.id, [{ remoteId: 'u-ana', name: 'Ana', presence: 'online' }, { remoteId: 'u-bo', name: 'Bo', presence: 'online' }, { remoteId: 'u-cy', name: 'Cy', presence: 'busy' }], 300))).toBe(false);

    // A direct room: the other member's presence is on the conversation (list dot, header).
    upsert({ visitorPresence: 'busy' });
    expect(mirror.conversations.get(row.id)!.visitorPresence).toBe('busy');
    upsert({ visitorPresence: 'away' });
    expect(mirror.conversations.get(row.id)!.visitorPresence).toBe('away');

    // A presence word this version does not know reads as offline, never throws.
    ctx.database.sqlite.prepare("UPDATE conversation_members SET presence = 'on-holiday' WHERE member_id = 'u-cy'").run();
    ctx.database.sqlite.prepare("UPDATE conversations SET visitor_presence = 'on-holiday'").run();
    expect(mirror.conversations.details(row.id)!.members!.find((m) => m.id === 'u-cy')!.presence).toBe('offline');
    expect(mirror.conversations.get(row.id)!.visitorPresence).toBeNull();

    // Removing the account removes its rooms and their members.
    mirror.accounts.remove(account.id);
    expect(ctx.database.sqlite.prepare('SELECT count(*) AS n FROM conversation_members').get()).toEqual({ n: 0 });
  });
});
