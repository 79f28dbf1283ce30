// What the jwt-ws connector remembers about rooms and people (pure, no network): names for live
// frames that carry only a user id, presence per room, and rooms/messages as the mirror sees them.
// Payloads are shaped like the deployed server's (backends.md §4).
import { describe, expect, it } from 'vitest';
import { Directory, toPresence } from '../../src/main/core/connectors/jwt-ws/directory';
import { WireMessage, WireRoom } from '../../src/main/core/connectors/jwt-ws/wire';

const SELF = 'u-me';
const member = (user_id: string, username: string, over: Record<string, unknown> = {}) => ({ user_id, username, display_name: null, role: 'member', ...over });
const room = (over: Record<string, unknown> = {}) =>
  WireRoom.parse({
    id: 'r1',
    name: '',
    type: 'direct',
    created_at: '2026-11-01T00:00:00Z',
    members: [member(SELF, 'saya', { status: 'online', is_online: true }), member('u2', 'andi', { display_name: ' Andi ', status: 'online', is_online: true })],
    ...over,
  });
const msg = (over: Record<string, unknown> = {}) =>
  WireMessage.parse({ id: 'm1', room_id: 'r1', sender_id: 'u2', content: 'Halo', created_at: '2026-12-01T10:00:00Z', ...over });

describe('toPresence', () => {
  it('online, away and busy are there; anything else is offline', () => {
    expect(['online', 'away', 'busy', 'invisible', 'offline', 'lunch', undefined].map(toPresence)).toEqual(['online', 'away', 'busy', 'offline', 'offline', 'offline', 'offline']);
  });
});

describe('Directory', () => {
  it('a direct room: titled after the other member, their presence is the room’s', () => {
    const d = new Directory(() => SELF);
    expect(d.conversation(room({ last_message: msg({ content: 'z'.repeat(250) }) }))).toEqual({
      remoteId: 'r1',
      visitorName: 'Andi',
      visitorEmail: null,
      serverStatus: null,
      createdAt: Date.parse('2026-11-01T00:00:00Z'),
      lastMessageAt: Date.parse('2026-12-01T10:00:00Z'),
      lastMessagePreview: 'z'.repeat(200),
      lastMessageRemoteId: 'm1',
      members: [{ remoteId: 'u2', name: 'Andi', presence: 'online' }],
      visitorOnline: true,
      visitorPresence: 'online',
    });
    expect(d.knowsRoom('r1')).toBe(true);
    expect(d.name('u2')).toBe('Andi');
    expect(d.name(SELF)).toBe('saya');
    d.forgetRoom('r1');
    expect(d.knowsRoom('r1')).toBe(false);
  });

  it('times fall back to the last message, then the epoch; a deleted last message has no preview', () => {
    const d = new Directory(() => SELF);
    const noCreated = d.conversation(room({ created_at: undefined, last_message: msg({ is_deleted: true, content: '' }) }));
    expect(noCreated).toMatchObject({ createdAt: Date.parse('2026-12-01T10:00:00Z'), lastMessagePreview: null, lastMessageRemoteId: 'm1' });
    const empty = d.conversation(room({ id: 'r2', created_at: undefined, last_message: null, members: undefined, type: 'group', name: 'Tim' }));
    expect(empty).toMatchObject({ createdAt: 0, lastMessageAt: null, lastMessagePreview: null, lastMessageRemoteId: null, members: [], visitorOnline: false, visitorPresence: null, visitorName: 'Tim' });
  });

  it('a member’s chosen status is trusted only while the server sees them online', () => {
    const d = new Directory(() => SELF);
    const c = d.conversation(room({ members: [member(SELF, 'saya'), member('u2', 'andi', { status: 'busy', is_online: false })] }));
    expect(c).toMatchObject({ visitorOnline: false, visitorPresence: 'offline', members: [{ remoteId: 'u2', name: 'andi', presence: 'offline' }] });
    const away = new Directory(() => SELF).conversation(room({ members: [member('u2', 'andi', { status: 'away' })] }));
    expect(away).toMatchObject({ visitorOnline: true, visitorPresence: 'away' });
    const unknown = new Directory(() => SELF).conversation(room({ members: [member('u2', 'andi')] }));
    expect(unknown).toMatchObject({ visitorOnline: false, visitorPresence: 'offline' });
  });

  it('a group has no single other side; anyone there makes it online', () => {
    const d = new Directory(() => SELF);
    const g = d.conversation(room({ type: 'group', name: 'Kelas A', members: [member('u2', 'andi', { status: 'offline' }), member('u3', 'bela', { status: 'away' })] }));
    expect(g).toMatchObject({ visitorOnline: true, visitorPresence: null });
    const two = d.conversation(room({ id: 'r9', type: 'direct', members: [member('u2', 'andi', { status: 'online' }), member('u3', 'bela', { status: 'online' })] }));
    expect(two.visitorPresence).toBeNull();
  });

  it('a status change patches every room the user is in, and nothing when the presence is the same', () => {
    const d = new Directory(() => SELF);
    d.rememberRoom(room());
    d.rememberRoom(room({ id: 'r2', type: 'group', name: 'G', members: [member('u2', 'andi', { status: 'online' }), member('u3', 'bela', { status: 'offline' })] }));
    d.rememberRoom(room({ id: 'r3', members: [member('u4', 'cici', { status: 'online' })] }));
    expect(d.setStatus('u2', 'online')).toEqual([]);
    // The name last remembered wins (room r2 lists u2 without a display name).
    const changes = d.setStatus('u2', 'invisible');
    expect(changes.map((c) => c.roomId)).toEqual(['r1', 'r2']);
    expect(changes[0]!.patch).toEqual({ members: [{ remoteId: 'u2', name: 'andi', presence: 'offline' }], visitorOnline: false, visitorPresence: 'offline' });
    expect(changes[1]!.patch.visitorOnline).toBe(false);
    // invisible → offline is no change in presence, but the word is kept.
    expect(d.setStatus('u2', 'offline')).toEqual([]);
    expect(d.setStatus('u2', 'away').map((c) => c.patch.visitorPresence)).toEqual(['away', null]);
    expect(d.setStatus('nobody', 'online')).toEqual([]);
  });

  it('history messages: mine are the admin’s, others named from the members; edits and deletions', () => {
    const d = new Directory(() => SELF);
    d.rememberRoom(room());
    const clock = () => 777;
    expect(d.message(msg(), clock, 5)).toEqual({ remoteId: 'm1', seq: 5, senderType: 'member', senderId: 'u2', senderName: 'Andi', content: 'Halo', createdAt: Date.parse('2026-12-01T10:00:00Z'), kind: 'text', editedAt: null, deletedAt: null });
    expect(d.message(msg({ sender_id: SELF }), clock)).toMatchObject({ seq: 0, senderType: 'admin', senderId: SELF, senderName: null });
    expect(d.message(msg({ sender_id: 'stranger' }), clock).senderName).toBeNull();
    expect(d.message(msg({ is_edited: true, edited_at: '2026-12-01T10:05:00Z' }), clock).editedAt).toBe(Date.parse('2026-12-01T10:05:00Z'));
    expect(d.message(msg({ is_edited: true }), clock).editedAt).toBe(Date.parse('2026-12-01T10:00:00Z'));
    expect(d.message(msg({ is_deleted: true, content: '' }), clock).deletedAt).toBe(777);
    d.rememberName('stranger', 'Tamu');
    expect(d.message(msg({ sender_id: 'stranger' }), clock).senderName).toBe('Tamu');
  });

  it('live messages continue the positions of the newest history page; unknown rooms stay at 0', () => {
    const d = new Directory(() => SELF);
    const frame = (room_id: string) => ({ message_id: 'm', room_id, user_id: 'u2', content: 'x', created_at: '2026-12-01T10:00:00Z' });
    expect(d.frameMessage(frame('r1')).seq).toBe(0);
    d.sawHistory('r1', 10);
    d.sawHistory('r1', 4);
    expect([d.frameMessage(frame('r1')).seq, d.frameMessage(frame('r1')).seq]).toEqual([11, 12]);
    expect(d.frameMessage(frame('r2')).seq).toBe(0);
    expect(d.frameMessage(frame('r2')).seq).toBe(0);
    expect(d.frameMessage({ ...frame('r1'), user_id: SELF })).toMatchObject({ senderType: 'admin', senderName: null, kind: 'text', seq: 13 });
  });
});
