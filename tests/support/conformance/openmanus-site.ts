// The openmanus kind against its REAL reference backend (backends/openmanus: Django Channels, a
// scripted agent, RS256 tokens from a JWKS). "Someone else writes" is the same user writing from
// the web front end (a conversation started there, or a message into one); the agent answers.
// REST goes through a HoldProxy (a reply's answer can be lost); sockets go straight to the
// backend. The connector is the kind's own, built by the test only to poll the list every 300 ms
// instead of 30 s (as pollIntervals shortens other kinds' polling), and the agent runs with a 1 ms
// tick so a run is over before the console sees its conversation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenManus, type OpenManusProcess } from '../../../backends/openmanus/testing';
import { openmanusCapabilities } from '../../../src/main/core/connectors/openmanus/capabilities';
import { OpenManusConnector } from '../../../src/main/core/connectors/openmanus/openmanus-connector';
import { messageItem } from '../../../src/main/core/connectors/openmanus/timeline';
import type { SocketHandlers } from '../../../src/main/core/connectors/openmanus/conversation-socket';
import { openWs } from '../../../src/main/core/connectors/openmanus/ws-opener';
import type { WireMessage } from '../../../src/main/core/connectors/openmanus/wire';
import { realTimers } from '../../../src/main/core/sync/timers';
import { startHoldProxy } from '../hold-proxy';
import type { ConformanceSite, ConformanceSubject } from './site';

export const openmanusSubject = (): ConformanceSubject => ({
  name: 'openmanus (reference backend)',
  capabilities: openmanusCapabilities,
  async start(): Promise<ConformanceSite> {
    const dataDir = mkdtempSync(join(tmpdir(), 'om-conformance-'));
    let backend: OpenManusProcess = await startOpenManus({ dataDir, tickMs: 1 });
    const port = backend.port;
    const proxy = await startHoldProxy(backend.api.replace(/\/api$/, ''));
    let token = await backend.mint(900);
    // The console's sockets, so "realtime goes away" can drop them while REST keeps working.
    let down = false;
    const sockets = new Set<{ url: string; opened: boolean; close(): void; handlers: SocketHandlers }>();
    // The connector the core built last: "garbage on a conversation's socket" asks it to watch that one.
    let connector: OpenManusConnector | undefined;
    const rest = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${backend.api}/v1/chat${path}`, {
        method,
        headers: { authorization: `Bearer ${await backend.mint(120)}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const stored = (id: string) => rest<{ messages: WireMessage[] }>('GET', `/conversations/${id}`).then((d) => d.messages);
    // Runs of one conversation never interleave; the next write waits for the last run to end.
    const settled = async (id: string) => {
      for (;;) {
        const last = (await stored(id)).at(-1);
        if (last && last.role !== 'user' && !last.tool_calls?.length && last.role !== 'tool') return;
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    return {
      capabilities: openmanusCapabilities,
      coreOptions: {
        connectorFactory: (account, credentials) =>
          (connector = new OpenManusConnector({
            fetch: (...args) => fetch(...args),
            clock: Date.now,
            random: Math.random,
            timers: realTimers,
            log: () => {},
            apiBase: `${account.baseUrl}/api`,
            credentials,
            pollMs: 300,
            // Sockets skip the REST proxy (it does not carry upgrades).
            openSocket: (url, headers, handlers) => {
              if (down) {
                setTimeout(() => handlers.error(new Error('connect ECONNREFUSED (realtime is down)')), 0);
                return { close: () => {} };
              }
              const entry = { url, opened: false, close: () => {}, handlers };
              const ws = openWs(url.replace(/:\d+\/ws\//, `:${port}/ws/`), headers, { ...handlers, open: () => ((entry.opened = true), handlers.open()), close: (code, reason) => (sockets.delete(entry), handlers.close(code, reason)) });
              entry.close = () => ws.close();
              sockets.add(entry);
              return { close: () => (sockets.delete(entry), ws.close()) };
            },
          })),
      },
      async addAccount(core) {
        const r = await core.dispatch('accounts.connect', { kind: 'openmanus', siteUrl: `${proxy.url}/api`, token });
        if (!r.ok) throw new Error(`connect failed: ${r.error.message}`);
        return (r.value as { id: number }).id;
      },
      async visitorWrites(text, remoteId) {
        if (remoteId) {
          await rest('POST', `/conversations/${remoteId}/messages`, { content: `${text} #ok #steps=1` });
          await settled(remoteId);
          return remoteId;
        }
        const { id } = await rest<{ id: string }>('POST', '/conversations', { model: 'gpt-4o', content: `${text} #ok #steps=1` });
        await settled(id);
        return id;
      },
      // The conversation's messages as the console shows them (the connector's own mapping), without
      // the agent's steps: those are events, compared step by step in openmanus-connector.test.ts.
      serverMessages: async (id) =>
        (await stored(id))
          .map((m) => messageItem(m, id))
          .filter((i) => i.kind !== 'event')
          .map((i) => ({ content: i.text, from: i.sender === 'user' ? 'owner' : 'other' })),
      async sendMalformed(id) {
        // The backend never sends a bad frame, so the suite writes one into the conversation's socket
        // as it arrives off the wire (the handler gets each WebSocket message's raw text): not JSON,
        // then a notify frame of the wrong shape.
        connector?.watch([id]);
        const start = Date.now();
        let entry: { handlers: SocketHandlers } | undefined;
        while (!(entry = [...sockets].find((s) => s.opened && s.url.includes(`/conversations/${id}/`)))) {
          if (Date.now() - start > 10_000) throw new Error(`no socket for conversation ${id} to garble`);
          await new Promise((r) => setTimeout(r, 25));
        }
        entry.handlers.message('not json at all');
        entry.handlers.message(JSON.stringify({ type: 'notify', event: 'step', payload: { step: { not: 'a number' }, depth: [[[[[]]]]] } }));
      },
      holdReplies: () => proxy.hold((req) => req.method === 'POST' && /\/messages$/.test(req.url ?? '')),
      releaseReplies: () => proxy.release(),
      async dropRealtime() {
        down = true;
        for (const s of [...sockets]) s.close();
      },
      async restoreRealtime() {
        down = false;
      },
      async expireCredentials() {
        // New signing keys: every token the console holds is refused (401 on REST, 403 at the socket).
        await backend.stop();
        rmSync(join(dataDir, 'keys'), { recursive: true, force: true });
        backend = await startOpenManus({ dataDir, port, tickMs: 1 });
        token = await backend.mint(900);
      },
      signInInput: (accountId) => ({ kind: 'openmanus', accountId, token }),
      async close() {
        await proxy.close();
        await backend.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
});
