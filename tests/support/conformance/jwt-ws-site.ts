// The jwt-ws kind against its real reference server (backends/jwt-ws). "A visitor writes" = a
// member of the site writes in a direct room with the console's owner (a new member starts a new
// room). The console reaches the server through two proxies: one that can cut its WebSocket while
// REST keeps working, and one that can swallow the answer to a reply the server has stored.
import { DEMO_OWNER, startJwtWsBackend } from '../../../backends/jwt-ws/src/index';
import { FrameSocket, api } from '../../../backends/jwt-ws/tests/helpers';
import { jwtWsCapabilities } from '../../../src/main/core/connectors/jwt-ws/jwt-ws-connector';
import { startHoldProxy } from '../hold-proxy';
import { tempDir } from '../temp-db';
import { startWsDropProxy } from '../ws-drop-proxy';
import type { ConformanceSite, ConformanceSubject } from './site';

const MEMBER_PASSWORD = 'conformance-member-1';

export const jwtWsSubject = (): ConformanceSubject => ({
  name: 'jwt-ws (reference server)',
  capabilities: jwtWsCapabilities,
  async start(): Promise<ConformanceSite> {
    const data = tempDir('jwt-ws-conformance-');
    const b = await startJwtWsBackend({ port: 0, dataDir: data.dir, owner: DEMO_OWNER, rateLimit: false });
    const hold = await startHoldProxy(b.url);
    const drop = await startWsDropProxy(Number(new URL(hold.url).port));
    const ownerId = b.owner!.id;
    let password: string = DEMO_OWNER.password;
    /** Room id → the member writing there, with their own socket (to see the owner typing). */
    const members = new Map<string, { id: string; socket: FrameSocket }>();
    const svc = () => b.server.service;
    return {
      capabilities: jwtWsCapabilities,
      coreOptions: {},
      async addAccount(core) {
        const r = await core.dispatch('accounts.connect', { kind: 'jwt-ws', siteUrl: drop.url, email: DEMO_OWNER.email, password });
        if (!r.ok) throw new Error(`connect failed: ${r.error.message}`);
        return (r.value as { id: number }).id;
      },
      async visitorWrites(text, roomId) {
        let member = roomId ? members.get(roomId) : undefined;
        let room = roomId;
        if (!member || !room) {
          const n = members.size + 1;
          const user = await svc().createUser({ email: `member${n}@example.com`, username: `member${n}`, password: MEMBER_PASSWORD, displayName: `Member ${n}` });
          room = svc().directRoom(user.id, ownerId).room.id;
          const { token } = await api(b.url).login(user.email, MEMBER_PASSWORD);
          member = { id: user.id, socket: await FrameSocket.connect(b.wsUrl, token) };
          members.set(room, member);
        }
        svc().sendMessage(member.id, { room_id: room, content: text });
        return room;
      },
      serverMessages: async (roomId) =>
        svc()
          .allMessages()
          .filter((m) => m.room_id === roomId && !m.is_deleted)
          .map((m) => ({ content: m.content, from: m.sender_id === ownerId ? 'owner' : 'other' })),
      visitorSawTyping: async (roomId) => (members.get(roomId)?.socket.of('typing_start') ?? []).some((f) => f.data?.user_id === ownerId && f.data?.room_id === roomId),
      holdReplies: () => hold.hold((req) => req.method === 'POST' && (req.url ?? '').startsWith('/api/v1/messages')),
      releaseReplies: () => {
        // The scenario means nothing unless an answer was really swallowed.
        if (hold.held === 0) throw new Error('no reply answer was held');
        hold.release();
      },
      dropRealtime: async () => drop.drop(),
      restoreRealtime: async () => drop.restore(),
      async expireCredentials() {
        // The owner's password changes on the site and every session is revoked: the refresh
        // token and the re-login with the kept password both fail, so only the user can help.
        password = `${DEMO_OWNER.password}-changed`;
        await svc().upsertUser({ email: DEMO_OWNER.email, username: 'owner', password, displayName: 'Site Owner' });
        b.server.chatDb.db.prepare('UPDATE sessions SET revoked = 1 WHERE user_id = ?').run(ownerId);
      },
      signInInput: (accountId) => ({ kind: 'jwt-ws', accountId, email: DEMO_OWNER.email, password }),
      async sendMalformed(roomId) {
        // Among valid lines in one WebSocket message, as the server batches them: only the bad one is skipped.
        const bad = JSON.stringify({ type: 'message', data: { room_id: roomId, message_id: 42, content: { not: 'text' } } });
        b.server.hub.sendRaw(ownerId, `not json at all\n${bad}\n${JSON.stringify({ type: 'pong', data: null })}`);
      },
      async close() {
        for (const m of members.values()) m.socket.close();
        await drop.close();
        await hold.close();
        await b.close();
        data.cleanup();
      },
    };
  },
});
