// What the connector remembers about rooms and people: members per room (live message frames
// carry only a user id, so names come from here), everyone's last known status, and the
// translation of rooms and messages into the mirror's RemoteConversation / RemoteMessage.
import type { Presence } from '../../../../shared/domain';
import type { RemoteConversation, RemoteMember, RemoteMessage } from '../../mirror/types';
import type { MessageFrameData } from './frames';
import { roomTitle, type WireMember, type WireMessage, type WireRoom } from './wire';

/**
 * A user's status as the inbox tells it: the server's online / away / busy, offline otherwise
 * ('invisible' is shown to others as offline; an unknown word is not trusted to mean "there").
 */
export function toPresence(status: string | undefined): Presence {
  return status === 'online' || status === 'away' || status === 'busy' ? status : 'offline';
}

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

  /**
   * Records a status change; returns what it changed in each room the user is in (their
   * members, whether anyone is there, a direct room's other side). Nothing when it is the same.
   */
  setStatus(userId: string, status: string): { roomId: string; patch: Required<Pick<RemoteConversation, 'visitorOnline' | 'visitorPresence' | 'members'>> }[] {
    if (toPresence(this.statuses.get(userId)) === toPresence(status)) {
      this.statuses.set(userId, status);
      return [];
    }
    this.statuses.set(userId, status);
    return [...this.rooms.values()]
      .filter((room) => (room.members ?? []).some((m) => m.user_id === userId))
      .map((room) => ({ roomId: room.id, patch: this.presenceOf(room) }));
  }

  private presence(userId: string): Presence {
    return toPresence(this.statuses.get(userId));
  }

  /** A room's other members with their presence, whether anyone is there, and a direct room's other side. */
  private presenceOf(room: WireRoom): Required<Pick<RemoteConversation, 'visitorOnline' | 'visitorPresence' | 'members'>> {
    const self = this.selfId();
    const members: RemoteMember[] = (room.members ?? [])
      .filter((m) => m.user_id !== self)
      .map((m) => ({ remoteId: m.user_id, name: this.names.get(m.user_id) ?? null, presence: this.presence(m.user_id) }));
    return {
      members,
      // away and busy are there (they can read), offline is not.
      visitorOnline: members.some((m) => m.presence !== 'offline'),
      visitorPresence: room.type === 'direct' && members.length === 1 ? members[0]!.presence : null,
    };
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
      ...this.presenceOf(room),
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
