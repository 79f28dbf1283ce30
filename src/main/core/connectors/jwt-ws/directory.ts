// What the connector remembers about rooms and people: members per room (live message frames
// carry only a user id, so names come from here), everyone's last known status, and the
// translation of rooms and messages into the mirror's RemoteConversation / RemoteMessage.
import type { RemoteConversation, RemoteMessage } from '../../mirror/types';
import type { MessageFrameData } from './frames';
import { roomTitle, type WireMember, type WireMessage, type WireRoom } from './wire';

/** Statuses that count as "there" for the inbox's online dot (away and busy included). */
const PRESENT = new Set(['online', 'away', 'busy']);

export class Directory {
  private readonly rooms = new Map<string, WireRoom>();
  private readonly names = new Map<string, string>();
  private readonly statuses = new Map<string, string>();

  constructor(private readonly selfId: () => string | null) {}

  rememberRoom(room: WireRoom): void {
    this.rooms.set(room.id, room);
    for (const m of room.members ?? []) this.rememberMember(m);
  }

  forgetRoom(roomId: string): void {
    this.rooms.delete(roomId);
  }

  knowsRoom(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  rememberMember(m: WireMember): void {
    this.names.set(m.user_id, m.display_name?.trim() || m.username);
    // is_online is the server's live view; status is what the user chose (stale after a crash).
    if (m.status) this.statuses.set(m.user_id, m.is_online === false ? 'offline' : m.status);
  }

  rememberName(userId: string, name: string): void {
    this.names.set(userId, name);
  }

  name(userId: string): string | undefined {
    return this.names.get(userId);
  }

  /** Records a status change; returns the rooms whose "someone is there" changed, with the new value. */
  setStatus(userId: string, status: string): { roomId: string; online: boolean }[] {
    const before = new Map([...this.rooms.keys()].map((id) => [id, this.anyonePresent(id)]));
    this.statuses.set(userId, status);
    const changed: { roomId: string; online: boolean }[] = [];
    for (const [roomId, was] of before) {
      const now = this.anyonePresent(roomId);
      if (now !== was) changed.push({ roomId, online: now });
    }
    return changed;
  }

  /** Someone other than the owner is online, away or busy in the room. */
  anyonePresent(roomId: string): boolean {
    const self = this.selfId();
    const room = this.rooms.get(roomId);
    return (room?.members ?? []).some((m) => m.user_id !== self && PRESENT.has(this.statuses.get(m.user_id) ?? 'offline'));
  }

  conversation(room: WireRoom): RemoteConversation {
    this.rememberRoom(room);
    const last = room.last_message;
    return {
      remoteId: room.id,
      visitorName: roomTitle(room, this.selfId()),
      visitorEmail: null,
      // The server has no resolve/close: the status is kept on this computer.
      serverStatus: null,
      createdAt: Date.parse(room.created_at ?? last?.created_at ?? new Date(0).toISOString()),
      lastMessageAt: last ? Date.parse(last.created_at) : null,
      lastMessagePreview: last && !last.is_deleted ? last.content.slice(0, 200) : null,
      lastMessageRemoteId: last?.id ?? null,
      visitorOnline: this.anyonePresent(room.id),
    };
  }

  private sender(userId: string): Pick<RemoteMessage, 'senderType' | 'senderId' | 'senderName'> {
    const self = userId === this.selfId();
    return { senderType: self ? 'admin' : 'member', senderId: userId, senderName: self ? null : (this.names.get(userId) ?? null) };
  }

  /**
   * A history message. `seq` is its position counted from the room's oldest message (the server
   * soft-deletes, so positions never move): the mirror then orders same-millisecond messages
   * like the server does.
   */
  message(m: WireMessage, clock: () => number, seq = 0): RemoteMessage {
    return {
      remoteId: m.id,
      seq,
      ...this.sender(m.sender_id),
      content: m.content,
      createdAt: Date.parse(m.created_at),
      kind: 'text',
      editedAt: m.is_edited ? Date.parse(m.edited_at ?? m.created_at) : null,
      // The list keeps deleted messages (emptied) without a deletion time.
      deletedAt: m.is_deleted ? clock() : null,
    };
  }

  /** The next position in a room, from its newest history page; 0 (unknown) until one was read. */
  private readonly nextSeq = new Map<string, number>();

  sawHistory(roomId: string, total: number): void {
    this.nextSeq.set(roomId, Math.max(this.nextSeq.get(roomId) ?? 0, total + 1));
  }

  frameMessage(d: MessageFrameData): RemoteMessage {
    const seq = this.nextSeq.get(d.room_id) ?? 0;
    if (seq > 0) this.nextSeq.set(d.room_id, seq + 1);
    return { remoteId: d.message_id, seq, ...this.sender(d.user_id), content: d.content, createdAt: Date.parse(d.created_at), kind: 'text' };
  }
}
