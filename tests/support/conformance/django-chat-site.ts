// The django-chat kind against the real Django Channels reference backend (daphne). "A visitor
// writes" = a seeded student writes over their own socket (/ws/chat/my-conversation/, the path
// the site broadcasts), straight to the site; the console reaches it through the proxy, which
// can cut its sockets (polling over REST goes on) or hold back what comes down them (a reply
// stored by the site whose echo never reaches the console). The truth is the site's database.
import type { SiteSocket } from '../../../backends/django/launcher/site-client';
import { djangoChatCapabilities } from '../../../src/main/core/connectors/django-chat/capabilities';
import { createDjangoChatKind } from '../../../src/main/core/connectors/django-chat/kind';
import { builtInKinds } from '../../../src/main/core/connectors/kinds';
import { djangoSnapshot } from '../django-harness';
import { waitFor } from '../portfolio-harness';
import { startDjangoSite } from './django-site';
import type { ConformanceSite, ConformanceSubject } from './site';

const TEACHER = 'teacher';

export const djangoChatSubject = (): ConformanceSubject => ({
  name: 'django-chat (reference backend)',
  capabilities: djangoChatCapabilities(),
  async start(): Promise<ConformanceSite> {
    const site = await startDjangoSite(6);
    const { proxy } = site;
    const password = site.password(TEACHER);
    const unused = site.b.seed!.students.map((s) => s.username);
    /** conversation remote id → the student who writes in it, and their open socket. */
    const students = new Map<string, string>();
    const sockets = new Map<string, SiteSocket>();
    const socketOf = async (username: string): Promise<{ socket: SiteSocket; conversationId: string }> => {
      let socket = sockets.get(username);
      if (!socket || socket.ws.readyState !== socket.ws.OPEN) {
        // A voided session (expireCredentials) is refused at the handshake: sign in again once.
        socket = await (await site.user(username)).socket('/ws/chat/my-conversation/').catch(async () => (await site.user(username, true)).socket('/ws/chat/my-conversation/'));
        sockets.set(username, socket);
      }
      const hello = await socket.next((f) => f.type === 'connection_established');
      return { socket, conversationId: String(hello.conversation_id) };
    };
    const kinds = builtInKinds.map((k) => (k.kind === 'django-chat' ? createDjangoChatKind({ pollMs: 200, echoTimeoutMs: 5000 }) : k));
    return {
      capabilities: djangoChatCapabilities(),
      coreOptions: { kinds },
      addAccount: (core) => site.addAccount(core, 'django-chat', TEACHER),
      async visitorWrites(text, remoteId) {
        const username = remoteId ? students.get(remoteId) : unused.shift();
        if (!username) throw new Error(remoteId ? `no student writes in ${remoteId}` : 'every seeded student has a conversation in this test');
        const { socket, conversationId } = await socketOf(username);
        students.set(conversationId, username);
        const from = socket.frames.length;
        socket.send(text);
        await socket.next((f) => f.type === 'new_message' && (f.message as { content?: string }).content === text, from);
        return conversationId;
      },
      // The database, not the API: reading history over REST would mark messages read.
      serverMessages: async (remoteId) => (djangoSnapshot(site.b, TEACHER)[remoteId] ?? []).map((m) => ({ content: m.content, from: m.senderType === 'admin' ? 'owner' : 'other' })),
      holdReplies: () => proxy.hold(),
      releaseReplies: () => proxy.release(),
      dropRealtime: async () => proxy.drop(),
      restoreRealtime: async () => proxy.restore(),
      async expireCredentials() {
        await site.expireCredentials();
        sockets.clear();
      },
      signInInput: (accountId) => ({ kind: 'django-chat', accountId, login: TEACHER, password }),
      async sendMalformed() {
        await waitFor(() => proxy.sockets > 0, 10_000, 'a conversation socket to garble');
        for (const frame of ['not json at all', '{"type":"new_message","message":{"id":"x"}}']) proxy.inject(frame);
      },
      async close() {
        for (const s of sockets.values()) await s.close();
        await site.close();
      },
    };
  },
});
