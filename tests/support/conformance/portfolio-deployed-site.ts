// The portfolio kind against the reference site as deployed (`--as-deployed`): cookie sign-in
// (pasted admin_session), no config endpoint (Pusher settings typed in), page-back sync, no
// idempotency key, no read receipts. REST goes through a HoldProxy so a reply's answer can be
// lost on purpose; "credentials expire" restarts the site with a new AUTH_SECRET.
import { randomBytes, randomUUID } from 'node:crypto';
import Pusher from 'pusher';
import PusherClient from 'pusher-js';
import { startDeployedChatApi, startPusherServer, type DeployedChatApiHandle, type PusherServerHandle } from '../../../backends/portfolio/src/index';
import { deployedCapabilities } from '../../../src/main/core/connectors/portfolio/deployed/deployed-connector';
import { startHoldProxy } from '../hold-proxy';
import { tempDir } from '../temp-db';
import type { ConformanceSite, ConformanceSubject } from './site';

const ADMIN = { email: 'owner@example.com', password: 'deployed conformance', name: 'Owner' };

export const portfolioDeployedSubject = (): ConformanceSubject => ({
  name: 'portfolio (reference site as deployed)',
  capabilities: deployedCapabilities(),
  async start(): Promise<ConformanceSite> {
    const dir = tempDir('switchboard-deployed-conformance-');
    const host = '127.0.0.1';
    const app = { id: 'portfolio', key: 'portfolio-key', secret: randomBytes(16).toString('hex') };
    let pusherServer: PusherServerHandle | null = await startPusherServer({ host, port: 0, apps: [{ ...app, enableClientEvents: true }] });
    const pusherPort = pusherServer.port;
    const startApi = (port: number, authSecret: string) =>
      startDeployedChatApi({
        host,
        port,
        dataDir: dir.dir,
        authSecret,
        pusher: { appId: app.id, key: app.key, secret: app.secret, host, port: pusherPort },
        publicPusher: { key: app.key, cluster: 'mt1', wsHost: host, wsPort: pusherPort, forceTLS: false },
        admin: ADMIN,
        aiEnabledAtCreation: false,
      });
    let api: DeployedChatApiHandle = await startApi(0, randomBytes(16).toString('hex'));
    const adminId = api.store.userByEmail(ADMIN.email)!.id;
    let cookie = await api.mintSession(adminId);
    const proxy = await startHoldProxy(api.url);
    const visitorIds = new Map<string, string>();
    const typingSeen = new Set<string>();
    const sockets: PusherClient[] = [];
    const rows = (id: string) => api.listAllMessages().filter((m) => String(m.conversationId) === id);
    return {
      capabilities: deployedCapabilities(),
      coreOptions: {},
      async addAccount(core) {
        const r = await core.dispatch('accounts.connect', {
          kind: 'portfolio',
          siteUrl: proxy.url,
          sessionCookie: cookie,
          pusherKey: app.key,
          pusherCluster: 'mt1',
          pusherServer: `ws://${host}:${pusherPort}`,
        });
        if (!r.ok) throw new Error(`connect failed: ${r.error.message}`);
        return (r.value as { id: number }).id;
      },
      async visitorWrites(text, remoteId) {
        const visitorId = (remoteId && visitorIds.get(remoteId)) || randomUUID();
        for (;;) {
          const res = await fetch(`${api.url}/api/chat/send`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ conversationId: remoteId ? Number(remoteId) : null, content: text, visitorId }),
          }).catch(() => null);
          if (!res || res.status === 503) {
            // Restarting: the visitor tries again a moment later.
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          const id = String(((await res.json()) as { data: { conversationId: number } }).data.conversationId);
          if (!visitorIds.has(id)) {
            visitorIds.set(id, visitorId);
            const socket = new PusherClient(app.key, { cluster: 'mt1', wsHost: host, wsPort: pusherPort, forceTLS: false, enabledTransports: ['ws'], channelAuthorization: { endpoint: `${api.url}/api/pusher/auth`, transport: 'ajax' } });
            sockets.push(socket);
            socket.subscribe(`private-conversation-${id}`).bind('client-typing', (e: { senderType?: string; isTyping?: boolean }) => {
              if (e.senderType === 'admin' && e.isTyping) typingSeen.add(id);
            });
          }
          return id;
        }
      },
      serverMessages: async (id) => rows(id).map((m) => ({ content: m.content, from: m.senderType === 'admin' ? 'owner' : 'other' })),
      serverStatus: async (id) => api.store.conversation(Number(id))!.status,
      visitorSawTyping: async (id) => typingSeen.has(id),
      holdReplies: () => proxy.hold((req) => req.method === 'POST' && (req.url ?? '').startsWith('/api/chat/send') && /admin_session=/.test(String(req.headers.cookie ?? ''))),
      releaseReplies: () => proxy.release(),
      async dropRealtime() {
        const s = pusherServer;
        pusherServer = null;
        await s?.close();
      },
      async restoreRealtime() {
        pusherServer ??= await startPusherServer({ host, port: pusherPort, apps: [{ ...app, enableClientEvents: true }] });
      },
      async expireCredentials() {
        const port = api.port;
        await api.close();
        api = await startApi(port, randomBytes(16).toString('hex'));
        cookie = await api.mintSession(adminId);
      },
      signInInput: (accountId) => ({ kind: 'portfolio', accountId, sessionCookie: cookie }),
      async sendMalformed() {
        const pusher = new Pusher({ appId: app.id, key: app.key, secret: app.secret, host, port: String(pusherPort), useTLS: false });
        await pusher.trigger('private-admin-notifications', 'new-conversation', { conversationId: { not: 'an id' }, createdAt: 'yesterday' });
      },
      async close() {
        for (const s of sockets) s.disconnect();
        await proxy.close();
        await pusherServer?.close();
        await api.close();
        dir.cleanup();
      },
    };
  },
});
