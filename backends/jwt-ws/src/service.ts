// What the jwt-ws server does, apart from HTTP parsing: accounts and device sessions, rooms and
// members, messages (send, edit, soft delete, read), presence and typing, and which frames each
// change pushes to whom. Routes and the socket hub both call into this.
import { randomUUID } from 'node:crypto';
import type { ChatDb, MessageRow, RoomRow, RoomType, UserRow, UserStatus } from './db';
import { USER_STATUSES, nowIso } from './db';
import { hashPassword, hashRefreshToken, newRefreshToken, signAccessToken, verifyAccessToken, verifyPassword } from './tokens';

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** How the service pushes frames; the hub in production, a recorder in a unit test. */
export interface FrameSink {
  send(userIds: Iterable<string>, type: string, data: unknown, exceptUserId?: string): void;
  isOnline(userId: string): boolean;
}

export interface ServiceOptions {
  jwtKey: Uint8Array;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

export interface TokenPair {
  user: Record<string, unknown>;
  access_token: string;
  refresh_token: string;
  expires_at: string;
  session_id: string;
}

export type MessageJson = {
  id: string;
  room_id: string;
  sender_id: string;
  reply_to_id: string | null;
  type: string;
  content: string;
  metadata: unknown;
  is_edited: boolean;
  edited_at: string | null;
  is_deleted: boolean;
  created_at: string;
};

function parseMetadata(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function messageJson(m: MessageRow): MessageJson {
  return {
    id: m.id,
    room_id: m.room_id,
    sender_id: m.sender_id,
    reply_to_id: m.reply_to_id,
    type: m.type,
    content: m.content,
    metadata: parseMetadata(m.metadata),
    is_edited: m.is_edited === 1,
    edited_at: m.edited_at,
    is_deleted: m.is_deleted === 1,
    created_at: m.created_at,
  };
}

export class ChatService {
  private readonly q: ChatDb['q'];
  private closed = false;

  constructor(
    private readonly chatDb: ChatDb,
    private readonly frames: FrameSink,
    private readonly opts: ServiceOptions,
  ) {
    this.q = chatDb.q;
  }

  markClosed(): void {
    this.closed = true;
  }

  // ------------------------------------------------------------ users and sessions
  /** Status as others see it: invisible reads as offline. */
  private visibleStatus(u: UserRow): UserStatus {
    return u.status === 'invisible' ? 'offline' : u.status;
  }

  userJson(u: UserRow): Record<string, unknown> {
    return {
      id: u.id,
      email: u.email,
      username: u.username,
      display_name: u.display_name,
      avatar_url: null,
      status: this.visibleStatus(u),
      last_seen: u.last_seen,
      created_at: u.created_at,
    };
  }

  async createUser(input: { email: string; username: string; password: string; displayName?: string }): Promise<UserRow> {
    if (this.q.getUserByEmail.get(input.email)) throw new ServiceError(409, 'Email already registered');
    if (this.q.getUserByUsername.get(input.username)) throw new ServiceError(409, 'Username already taken');
    const id = randomUUID();
    this.q.insertUser.run(id, input.email, input.username, input.displayName ?? input.username, await hashPassword(input.password), nowIso());
    return this.q.getUser.get(id) as UserRow;
  }

  /** Creates the user or resets its password and name (the CLI's owner account). */
  async upsertUser(input: { email: string; username: string; password: string; displayName: string }): Promise<UserRow> {
    const existing = this.q.getUserByEmail.get(input.email);
    if (!existing) return this.createUser(input);
    if (!(await verifyPassword(input.password, existing.password_hash)) || existing.display_name !== input.displayName) {
      this.q.updateUserPassword.run(await hashPassword(input.password), input.displayName, existing.id);
    }
    return this.q.getUser.get(existing.id) as UserRow;
  }

  getUser(id: string): UserRow {
    const u = this.q.getUser.get(id);
    if (!u) throw new ServiceError(404, 'User not found');
    return u;
  }

  private async issue(user: UserRow, sessionId: string): Promise<TokenPair> {
    const access = await signAccessToken(this.opts.jwtKey, { userId: user.id, email: user.email, username: user.username, sessionId }, this.opts.accessTtlSeconds);
    const refresh = newRefreshToken();
    this.q.rotateRefresh.run(refresh.hash, new Date(Date.now() + this.opts.refreshTtlSeconds * 1000).toISOString(), sessionId);
    return { user: this.userJson(user), access_token: access.token, refresh_token: refresh.token, expires_at: access.expiresAt, session_id: sessionId };
  }

  /** One live session per (user, device): logging in again from the same device revokes the old one. */
  async login(email: string, password: string, deviceId: string, deviceType: string): Promise<TokenPair> {
    const user = this.q.getUserByEmail.get(email);
    if (!user || !(await verifyPassword(password, user.password_hash))) throw new ServiceError(401, 'Invalid email or password');
    const sessionId = randomUUID();
    const placeholder = newRefreshToken();
    this.chatDb.db.transaction(() => {
      this.q.revokeDeviceSessions.run(user.id, deviceId);
      this.q.insertSession.run(sessionId, user.id, deviceId, deviceType, placeholder.hash, nowIso(), nowIso());
    })();
    return this.issue(user, sessionId);
  }

  /** Rotates the refresh token: the old one stops working as soon as a new pair is issued. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const s = this.q.getSessionByRefresh.get(hashRefreshToken(refreshToken));
    if (!s || s.revoked || new Date(s.refresh_expires_at).getTime() <= Date.now()) throw new ServiceError(401, 'Invalid or expired refresh token');
    const user = this.q.getUser.get(s.user_id);
    if (!user) throw new ServiceError(401, 'Invalid or expired refresh token');
    return this.issue(user, s.id);
  }

  logout(sessionId: string): void {
    this.q.revokeSession.run(sessionId);
  }

  /** The user behind an access token, or why not. The session must still be live. */
  async authenticate(token: string): Promise<{ user: UserRow; sessionId: string } | { error: string }> {
    if (!token) return { error: 'Missing token' };
    const r = await verifyAccessToken(this.opts.jwtKey, token);
    if (!r.ok) return { error: r.reason === 'expired' ? 'Token expired' : 'Invalid token' };
    const s = this.q.getSession.get(r.sessionId);
    const user = this.q.getUser.get(r.userId);
    if (!s || s.revoked || s.user_id !== r.userId || !user) return { error: 'Session revoked' };
    return { user, sessionId: s.id };
  }

  // ------------------------------------------------------------ presence and typing
  private roomMates(userId: string): string[] {
    return this.q.roomMatesOf.all(userId).map((r) => r.user_id);
  }

  private broadcastStatus(user: UserRow): void {
    this.frames.send(this.roomMates(user.id), 'user_status_change', { user_id: user.id, username: user.username, status: this.visibleStatus(user) }, user.id);
  }

  setStatus(userId: string, status: string): void {
    if (!(USER_STATUSES as readonly string[]).includes(status)) throw new ServiceError(400, `Invalid status: ${status}`);
    this.q.setUserStatus.run(status, nowIso(), userId);
    this.broadcastStatus(this.getUser(userId));
  }

  /** A user's first socket makes them online (whatever they chose before); the last one leaving, offline. */
  connected(userId: string, first: boolean): void {
    if (this.closed || !first) return;
    this.setStatus(userId, 'online');
  }

  disconnected(userId: string, last: boolean): void {
    if (this.closed || !last) return;
    this.setStatus(userId, 'offline');
  }

  typing(userId: string, roomId: unknown, start: boolean): void {
    if (typeof roomId !== 'string' || !this.q.getMember.get(roomId, userId)) throw new ServiceError(403, 'Not a member of this room');
    const user = this.getUser(userId);
    this.frames.send(this.memberIds(roomId), start ? 'typing_start' : 'typing_stop', { room_id: roomId, user_id: userId, username: user.username }, userId);
  }

  // ------------------------------------------------------------ rooms
  private memberIds(roomId: string): string[] {
    return this.q.memberIds.all(roomId).map((r) => r.user_id);
  }

  roomJson(room: RoomRow, viewerId: string): Record<string, unknown> {
    const members = this.q.membersOf.all(room.id).map((m) => ({
      user_id: m.user_id,
      username: m.username,
      display_name: m.display_name,
      role: m.role,
      status: this.visibleStatus(m),
      is_online: m.status !== 'invisible' && this.frames.isOnline(m.user_id),
      joined_at: m.joined_at,
    }));
    const last = this.q.lastMessage.get(room.id);
    return {
      id: room.id,
      name: room.name,
      type: room.type,
      description: room.description,
      created_by: room.created_by,
      created_at: room.created_at,
      updated_at: room.updated_at,
      member_count: members.length,
      members,
      last_message: last ? messageJson(last) : null,
      unread_count: this.q.unreadCount.get(room.id, viewerId, viewerId)?.n ?? 0,
    };
  }

  myRooms(userId: string): Record<string, unknown>[] {
    return this.q.roomsOfUser.all(userId).map((r) => this.roomJson(r, userId));
  }

  /** Members see their rooms; anyone sees a public room. */
  visibleRoom(userId: string, roomId: string): RoomRow {
    const room = this.q.getRoom.get(roomId);
    if (!room) throw new ServiceError(404, 'Room not found');
    if (room.type !== 'public' && !this.q.getMember.get(roomId, userId)) throw new ServiceError(403, 'Not a member of this room');
    return room;
  }

  private memberRoom(userId: string, roomId: string): RoomRow {
    const room = this.visibleRoom(userId, roomId);
    if (!this.q.getMember.get(roomId, userId)) throw new ServiceError(403, 'Not a member of this room');
    return room;
  }

  createRoom(userId: string, input: { name: string; type: Exclude<RoomType, 'direct'>; description?: string; member_ids?: string[] }): RoomRow {
    const others = [...new Set(input.member_ids ?? [])].filter((id) => id !== userId);
    for (const id of others) if (!this.q.getUser.get(id)) throw new ServiceError(400, `Unknown user: ${id}`);
    const id = randomUUID();
    const now = nowIso();
    this.chatDb.db.transaction(() => {
      this.q.insertRoom.run(id, input.name, input.type, input.description ?? '', userId, now, now);
      this.q.insertMember.run(id, userId, 'owner', now);
      for (const m of others) this.q.insertMember.run(id, m, 'member', now);
    })();
    const room = this.q.getRoom.get(id) as RoomRow;
    for (const m of others) this.frames.send([m], 'room_join', { room_id: id, room: this.roomJson(room, m) });
    return room;
  }

  /** The direct room of two users, created on first use (name ''; clients name it after the other member). */
  directRoom(userId: string, otherId: string): { room: RoomRow; created: boolean } {
    if (otherId === userId) throw new ServiceError(400, 'Cannot start a direct chat with yourself');
    const other = this.getUser(otherId);
    const existing = this.q.directRoomBetween.get(userId, otherId);
    if (existing) return { room: existing, created: false };
    const id = randomUUID();
    const now = nowIso();
    this.chatDb.db.transaction(() => {
      this.q.insertRoom.run(id, '', 'direct', '', userId, now, now);
      this.q.insertMember.run(id, userId, 'member', now);
      this.q.insertMember.run(id, other.id, 'member', now);
    })();
    const room = this.q.getRoom.get(id) as RoomRow;
    const me = this.getUser(userId);
    this.frames.send([other.id], 'room_join', { room_id: id, room: this.roomJson(room, other.id) });
    this.frames.send([other.id], 'notification', { kind: 'direct_chat', room_id: id, from_user_id: userId, message: `${me.display_name} started a chat with you` });
    return { room, created: true };
  }

  joinRoom(userId: string, roomId: string): RoomRow {
    const room = this.q.getRoom.get(roomId);
    if (!room) throw new ServiceError(404, 'Room not found');
    if (this.q.getMember.get(roomId, userId)) return room;
    if (room.type !== 'public') throw new ServiceError(403, 'This room is invite-only');
    const now = nowIso();
    this.q.insertMember.run(roomId, userId, 'member', now);
    const user = this.getUser(userId);
    this.frames.send(this.memberIds(roomId), 'user_join', { room_id: roomId, user_id: userId, username: user.username }, userId);
    this.frames.send([userId], 'room_join', { room_id: roomId, room: this.roomJson(room, userId) });
    return room;
  }

  leaveRoom(userId: string, roomId: string): void {
    const room = this.memberRoom(userId, roomId);
    if (room.type === 'direct') throw new ServiceError(400, 'Cannot leave a direct chat');
    this.q.deleteMember.run(roomId, userId);
    const user = this.getUser(userId);
    this.frames.send(this.memberIds(roomId), 'user_leave', { room_id: roomId, user_id: userId, username: user.username });
    this.frames.send([userId], 'room_leave', { room_id: roomId });
  }

  // ------------------------------------------------------------ messages
  sendMessage(userId: string, input: { room_id: string; content: string; type?: string; reply_to_id?: string | null; metadata?: unknown }): MessageJson {
    const room = this.memberRoom(userId, input.room_id);
    if (room.type === 'broadcast' && room.created_by !== userId) throw new ServiceError(403, 'Only the owner writes in a broadcast room');
    if (input.reply_to_id) {
      const parent = this.q.getMessage.get(input.reply_to_id);
      if (!parent || parent.room_id !== room.id) throw new ServiceError(400, 'reply_to_id is not a message of this room');
    }
    const id = randomUUID();
    const now = nowIso();
    const metadata = input.metadata === undefined || input.metadata === null ? null : JSON.stringify(input.metadata);
    this.chatDb.db.transaction(() => {
      this.q.insertMessage.run(id, room.id, userId, input.reply_to_id ?? null, input.type ?? 'text', input.content, metadata, now, now);
      this.q.touchRoom.run(now, room.id);
    })();
    const m = messageJson(this.q.getMessage.get(id) as MessageRow);
    this.frames.send(this.memberIds(room.id), 'message', {
      message_id: m.id,
      room_id: m.room_id,
      user_id: m.sender_id,
      type: m.type,
      content: m.content,
      metadata: m.metadata,
      reply_to_id: m.reply_to_id,
      created_at: m.created_at,
    });
    return m;
  }

  private ownMessage(userId: string, messageId: string): MessageRow {
    const m = this.q.getMessage.get(messageId);
    if (!m || m.is_deleted) throw new ServiceError(404, 'Message not found');
    this.memberRoom(userId, m.room_id);
    if (m.sender_id !== userId) throw new ServiceError(403, 'You can only change your own messages');
    return m;
  }

  editMessage(userId: string, messageId: string, content: string): MessageJson {
    const m = this.ownMessage(userId, messageId);
    const now = nowIso();
    this.q.editMessage.run(content, now, now, m.id);
    const out = messageJson(this.q.getMessage.get(m.id) as MessageRow);
    this.frames.send(this.memberIds(m.room_id), 'message_edit', {
      message_id: m.id,
      room_id: m.room_id,
      user_id: userId,
      content,
      is_edited: true,
      edited_at: out.edited_at,
    });
    return out;
  }

  deleteMessage(userId: string, messageId: string): void {
    const m = this.ownMessage(userId, messageId);
    const now = nowIso();
    this.q.deleteMessage.run(now, now, m.id);
    this.frames.send(this.memberIds(m.room_id), 'message_delete', { message_id: m.id, room_id: m.room_id, user_id: userId, deleted_at: now });
  }

  markRead(userId: string, messageId: string): { message_id: string; read_at: string } {
    const m = this.q.getMessage.get(messageId);
    if (!m) throw new ServiceError(404, 'Message not found');
    this.memberRoom(userId, m.room_id);
    this.q.markRead.run(m.id, userId, nowIso());
    return { message_id: m.id, read_at: (this.q.getRead.get(m.id, userId) as { read_at: string }).read_at };
  }

  /** Newest first, offset paging (a page shifts when new messages arrive). Deleted ones stay, emptied. */
  history(userId: string, roomId: string, page: number, limit: number): { data: MessageJson[]; meta: Record<string, number> } {
    this.memberRoom(userId, roomId);
    const total = this.q.countMessages.get(roomId)?.n ?? 0;
    const data = this.q.pageMessages.all(roomId, limit, (page - 1) * limit).map(messageJson);
    return { data, meta: { page, limit, total, total_pages: Math.ceil(total / limit) } };
  }

  allMessages(): MessageJson[] {
    return this.q.allMessages.all().map(messageJson);
  }
}
