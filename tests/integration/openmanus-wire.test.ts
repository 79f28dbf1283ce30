// The openmanus connector's wire parts (REST client, frame parser, reconnecting socket) against
// the real reference backend: a server killed mid-run and a token expiring mid-run both end with
// a timeline that holds every stored message once, in order, after the REST catch-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenManus, type OpenManusProcess } from '../../backends/openmanus/testing';
import { ConversationSocket, type SocketState } from '../../src/main/core/connectors/openmanus/conversation-socket';
import { FrameParser } from '../../src/main/core/connectors/openmanus/frames';
import { OpenManusRest, socketBaseUrl, type OpenManusCredentials } from '../../src/main/core/connectors/openmanus/rest-client';
import { messageItem, type TimelineItem } from '../../src/main/core/connectors/openmanus/timeline';
import { openWs } from '../../src/main/core/connectors/openmanus/ws-opener';
import { realTimers } from '../../src/main/core/sync/timers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function backend(port?: number, dataDir?: string): Promise<OpenManusProcess> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'openmanus-wire-'));
  if (!dataDir) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const b = await startOpenManus({ dataDir: dir, port, tickMs: 40 });
  cleanups.push(() => b.stop('SIGKILL'));
  return b;
}

/** What the connector will do for one watched conversation: socket frames and REST catch-up into one timeline. */
function watch(api: string, conversationId: string, credentials: () => OpenManusCredentials) {
  const rest = new OpenManusRest({ baseUrl: api, credentials });
  let n = 0;
  const parser = new FrameParser({ conversationRemoteId: conversationId, now: Date.now, newId: () => `ev-${++n}` });
  const timeline = new Map<string, TimelineItem>();
  const states: SocketState[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of waiters.splice(0)) if (w.test()) w.resolve();
      else waiters.push(w);
  };
  const add = (item: TimelineItem) => {
    timeline.set(item.remoteId, item);
    check();
  };
  const catchUps: Promise<void>[] = [];
  const socket = new ConversationSocket({
    conversationRemoteId: conversationId,
    socketBaseUrl: socketBaseUrl(api),
    credentials,
    open: openWs,
    timers: realTimers,
    random: Math.random,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    onFrame: (text) => {
      const r = parser.parse(text);
      if (r.ok) add(r.item);
      else throw new Error(r.reason);
    },
    onOpen: () => {
      catchUps.push(
        rest.conversation(conversationId).then(({ messages }) => {
          for (const m of messages) {
            const item = messageItem(m, conversationId);
            parser.observeServerTime(item.createdAt);
            add(item);
          }
        }),
      );
    },
    onState: (s) => {
      states.push(s);
      check();
    },
  });
  cleanups.push(() => socket.stop());
  const until = (test: () => boolean) => (test() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve })));
  const items = () => [...timeline.values()].sort((a, b) => a.createdAt - b.createdAt);
  return { rest, socket, timeline, states, until, items, catchUps, stepCount: () => items().filter((i) => i.event === 'agent.step').length };
}

/** The stored messages in the timeline, in timeline order, must be exactly REST's list. */
async function expectEveryMessageOnce(rest: OpenManusRest, id: string, items: TimelineItem[]) {
  const stored = (await rest.conversation(id)).messages.map((m) => m.id);
  const mirrored = items.filter((i) => !i.remoteId.startsWith('ev-')).map((i) => i.remoteId);
  expect(mirrored).toEqual(stored);
}

describe('openmanus wire parts against the reference backend', () => {
  it('server killed mid-run: the socket comes back, catch-up fills the gap, nothing doubles', async () => {
    const first = await backend();
    const token = await first.mint(600);
    const rest = new OpenManusRest({ baseUrl: first.api, credentials: () => ({ token }) });
    const conv = await rest.createConversation({ model: 'gpt-4o', content: 'warm up #ok #steps=1' });
    const w = watch(first.api, conv.id, () => ({ token }));
    w.socket.start();
    await w.until(() => w.socket.status === 'open');
    await w.until(() => [...w.timeline.values()].some((i) => i.sender === 'agent' && i.kind === 'text'));

    const stepsBefore = w.stepCount();
    await rest.sendMessage(conv.id, 'a long task #ok #steps=8');
    await w.until(() => w.stepCount() >= stepsBefore + 2);
    await first.stop('SIGKILL'); // mid-run: the run dies with the server, its stored steps stay
    await w.until(() => w.socket.status === 'retrying');

    const second = await backend(first.port, first.dataDir);
    await w.until(() => w.socket.status === 'open');
    await Promise.all(w.catchUps);
    const { messageId } = await rest.sendMessage(conv.id, 'after the restart #ok #steps=1');
    const answered = () => {
      const asked = w.timeline.get(messageId);
      return !!asked && w.items().some((i) => i.event === 'agent.finished' && i.createdAt > asked.createdAt);
    };
    await w.until(answered);
    await expectEveryMessageOnce(new OpenManusRest({ baseUrl: second.api, credentials: () => ({ token }) }), conv.id, w.items());
    expect(w.states).toContain('retrying');
    const steps = w.items().filter((i) => i.event === 'agent.step').map((i) => i.text);
    expect(new Set(w.items().map((i) => i.remoteId)).size).toBe(w.items().length);
    expect(steps[0]).toBe('Step 1 of 20');
  }, 60_000);

  it('token expiry mid-run: auth close, a fresh token, catch-up, every message once', async () => {
    const b = await backend();
    let credentials: OpenManusCredentials = { token: await b.mint(3) };
    const rest = new OpenManusRest({ baseUrl: b.api, credentials: () => credentials });
    const conv = await rest.createConversation({ model: 'gpt-4o', content: 'a slow task #ok #steps=19' });
    const w = watch(b.api, conv.id, () => credentials);
    w.socket.start();
    await w.until(() => w.socket.status === 'auth');
    await expect(rest.listConversations()).rejects.toMatchObject({ kind: 'auth' });
    credentials = { token: await b.mint(600) };
    const lastStored = (await rest.conversation(conv.id)).messages.at(-1);
    expect(lastStored?.role === 'assistant' && !lastStored.tool_calls, 'the run is still going').toBe(false);
    w.socket.resume();
    await w.until(() => w.socket.status === 'open');
    await w.until(() => w.items().some((i) => i.event === 'agent.finished'));
    await Promise.all(w.catchUps);
    await expectEveryMessageOnce(rest, conv.id, w.items());
    const calls = w.items().filter((i) => i.event === 'message.tool_call').length;
    expect(calls).toBeGreaterThanOrEqual(19);
    expect(w.items().filter((i) => i.event === 'message.tool')).toHaveLength(calls);
  }, 60_000);
});
