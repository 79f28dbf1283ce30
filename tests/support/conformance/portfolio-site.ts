// The portfolio kind against its real reference backend (chat API + Pusher-protocol server),
// in both flavours the reference backend speaks: with the extensions (cursor catch-up,
// idempotent send, read receipts) and without them (page-back, no idempotency key, manual
// Pusher settings). REST goes through a HoldProxy so a reply's answer can be lost on purpose.
import { randomBytes } from 'node:crypto';
import Pusher from 'pusher';
import PusherClient from 'pusher-js';
import { ADMIN_CHANNEL } from '../../../src/main/core/connectors/portfolio/portfolio-connector';
import { portfolioCapabilities } from '../../../src/main/core/connectors/portfolio/capabilities';
import { startHoldProxy } from '../hold-proxy';
import { Visitor, startTestBackend } from '../portfolio-harness';
import type { ConformanceSite, ConformanceSubject } from './site';

export const portfolioSubject = (extensions: boolean): ConformanceSubject => ({
  name: extensions ? 'portfolio (reference backend, with extensions)' : 'portfolio (reference backend, no extensions)',
  capabilities: portfolioCapabilities(extensions),
  async start(): Promise<ConformanceSite> {
    const b = await startTestBackend({ extensions });
    const proxy = await startHoldProxy(b.apiUrl);
    const visitors = new Map<string, Visitor>();
    const typingSeen = new Set<string>();
    const visitorSockets: PusherClient[] = [];
    const rows = (id: string) => b.api.listAllMessages().filter((m) => String(m.conversationId) === id);
    return {
      capabilities: portfolioCapabilities(extensions),
      coreOptions: {},
      async addAccount(core) {
        const r = await core.dispatch('accounts.connect', {
          kind: 'portfolio',
          siteUrl: proxy.url,
          email: b.admin.email,
          password: b.admin.password,
          ...(extensions ? {} : { pusher: b.pusherSettings }),
        });
        if (!r.ok) throw new Error(`connect failed: ${r.error.message}`);
        return (r.value as { id: number }).id;
      },
      async visitorWrites(text, remoteId) {
        let visitor = remoteId ? visitors.get(remoteId) : undefined;
        if (!visitor) visitor = await new Visitor(b.apiUrl, `Visitor ${visitors.size + 1}`).open();
        await visitor.send(text);
        const id = String(visitor.conversationId);
        if (!visitors.has(id)) {
          visitors.set(id, visitor);
          // The visitor's widget: its own Pusher client on the conversation's channel.
          const socket = new PusherClient(b.app.key, {
            cluster: 'mt1',
            wsHost: '127.0.0.1',
            wsPort: b.pusherPort,
            forceTLS: false,
            enabledTransports: ['ws'],
            channelAuthorization: { endpoint: `${b.apiUrl}/api/pusher/auth`, transport: 'ajax', headers: { 'X-Session-Token': visitor.token } },
          });
          visitorSockets.push(socket);
          socket.subscribe(`private-conversation-${id}`).bind('client-typing', (e: { senderType?: string; isTyping?: boolean }) => {
            if (e.senderType === 'admin' && e.isTyping) typingSeen.add(id);
          });
        }
        return id;
      },
      serverMessages: async (id) => rows(id).map((m) => ({ content: m.content, from: m.senderType === 'admin' ? 'owner' : 'other' })),
      serverStatus: async (id) => (b.api.chatDb.db.prepare('SELECT status FROM conversations WHERE id = ?').get(Number(id)) as { status: string }).status,
      ...(extensions ? { visitorMessagesRead: async (id: string) => rows(id).filter((m) => m.senderType === 'visitor').every((m) => m.isRead) } : {}),
      visitorSawTyping: async (id) => typingSeen.has(id),
      holdReplies: () => proxy.hold((req) => req.method === 'POST' && (req.url ?? '').startsWith('/api/chat/send') && typeof req.headers.authorization === 'string'),
      releaseReplies: () => proxy.release(),
      dropRealtime: () => b.stopPusher(),
      restoreRealtime: () => b.startPusher(),
      expireCredentials: () => b.restartApi({ jwtSecret: randomBytes(16).toString('hex') }),
      signInInput: (accountId) => ({ kind: 'portfolio', accountId, email: b.admin.email, password: b.admin.password }),
      async sendMalformed() {
        const pusher = new Pusher({ appId: b.app.id, key: b.app.key, secret: b.app.secret, host: '127.0.0.1', port: String(b.pusherPort), useTLS: false });
        await pusher.trigger(ADMIN_CHANNEL, 'new-conversation', { conversationId: { not: 'an id' }, createdAt: 'yesterday' });
      },
      async close() {
        for (const socket of visitorSockets) socket.disconnect();
        await proxy.close();
        await b.close();
      },
    };
  },
});
