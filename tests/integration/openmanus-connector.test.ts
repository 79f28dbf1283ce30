// The openmanus kind through the whole core (accounts.connect, the sync engine, the SQLite
// mirror, search) against the REAL reference backend (Django Channels, backends/openmanus).
// Each test ends with the mirror's stored messages compared to the backend's REST answer.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenManus, type OpenManusProcess } from '../../backends/openmanus/testing';
import type { OpenManusEventPayload } from '../../src/main/core/connectors/openmanus/remote';
import type { Account, Message, SearchHit } from '../../src/shared/domain';
import { startTestCore, waitFor, type TestCore } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function backend(tickMs = 20, restart?: OpenManusProcess): Promise<OpenManusProcess> {
  const dataDir = restart?.dataDir ?? mkdtempSync(join(tmpdir(), 'openmanus-core-'));
  if (!restart) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const b = await startOpenManus({ dataDir, seedDemo: true, tickMs, port: restart?.port });
  cleanups.push(() => b.stop('SIGKILL'));
  return b;
}
async function core(dataDir?: string): Promise<TestCore> {
  const dir = dataDir ?? tempDir('switchboard-openmanus-').dir;
  const c = await startTestCore(dir);
  cleanups.push(() => c.close());
  return c;
}
async function call<T>(c: TestCore, method: string, input: unknown): Promise<T> {
  const r = await c.core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
const live = (c: TestCore, ms = 20_000) => waitFor(() => c.state() === 'live', ms, `live (now ${c.state()}: ${c.states.at(-1)?.detail})`);

interface RestMessage {
  id: string;
  role: string;
  content: string | null;
  tool_calls: unknown[] | null;
}
/** The run is over when the agent's answer (an assistant message without tool calls) is last. */
const answered = (messages: RestMessage[]) => messages.at(-1)?.role === 'assistant' && !messages.at(-1)?.tool_calls;
async function restMessages(b: OpenManusProcess, token: string, id: string): Promise<RestMessage[]> {
  const res = await fetch(`${b.api}/v1/chat/conversations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await res.json()) as { messages: RestMessage[] }).messages;
}
async function restConversations(b: OpenManusProcess, token: string): Promise<{ id: string; title: string }[]> {
  return (await (await fetch(`${b.api}/v1/chat/conversations`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { id: string; title: string }[];
}
const localConversation = (c: TestCore, accountId: number, remoteId: string) => c.core.mirror.conversations.findByRemote(accountId, remoteId);
/** The mirror's copies of stored messages (not live-only events), in display order. */
const storedInMirror = (c: TestCore, conversationId: number): Message[] => c.core.mirror.messages.all(conversationId).filter((m) => !m.remoteId?.startsWith('ev-'));

async function mirrorEqualsBackend(c: TestCore, accountId: number, b: OpenManusProcess, token: string, remoteId: string): Promise<void> {
  const expected = (await restMessages(b, token, remoteId)).map((m) => m.id);
  const row = await waitFor(() => localConversation(c, accountId, remoteId), 10_000, `conversation ${remoteId} mirrored`);
  await waitFor(() => JSON.stringify(storedInMirror(c, row.id).map((m) => m.remoteId)) === JSON.stringify(expected), 15_000, 'mirror = backend').catch(() =>
    expect(storedInMirror(c, row.id).map((m) => m.remoteId)).toEqual(expected),
  );
}

/** A backend, a core connected to it with a long-lived token, and its newest conversation on screen. */
async function watchedConversation(tickMs = 20) {
  const b = await backend(tickMs);
  const token = await b.mint(600);
  const c = await core();
  const account = await call<Account>(c, 'accounts.connect', { kind: 'openmanus', siteUrl: b.api, token });
  await live(c);
  const remoteId = (await restConversations(b, token))[0]!.id;
  const row = localConversation(c, account.id, remoteId)!;
  await call(c, 'conversations.watch', { conversationIds: [row.id] });
  // Events are streamed only once the conversation's socket is open (the backend replays none):
  // a run started before that would lose its first steps.
  await waitFor(() => c.logs.some((l) => l.includes(`conversation ${remoteId}'s event stream is open`)), 20_000, 'the event stream open');
  return { b, token, c, account, remoteId, row };
}

/** Waits until the backend's newest message in the conversation is the agent's answer. */
async function untilAnswered(b: OpenManusProcess, token: string, remoteId: string): Promise<void> {
  let last: RestMessage[];
  for (const start = Date.now(); !answered((last = await restMessages(b, token, remoteId))); ) {
    if (Date.now() - start > 20_000) throw new Error(`the run did not finish: ${last.map((m) => m.role).join(',')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('openmanus kind against the reference backend', () => {
  it('connects with a pasted token, mirrors every conversation and step, and search finds a tool result offline', async () => {
    const b = await backend();
    const token = await b.mint(600);
    const dir = tempDir('switchboard-openmanus-').dir;
    const c = await core(dir);
    const bad = await c.core.dispatch('accounts.connect', { kind: 'openmanus', siteUrl: b.api, token: 'not-a-token' });
    expect(bad.ok).toBe(false);
    const account = await call<Account>(c, 'accounts.connect', { kind: 'openmanus', siteUrl: b.api, token });
    expect(account.capabilities).toMatchObject({ serverStatus: false, idempotentSend: false, catchUp: 'poll', startConversations: true });
    await live(c);
    const convs = await restConversations(b, token);
    expect(convs).toHaveLength(4);
    for (const conv of convs) await mirrorEqualsBackend(c, account.id, b, token, conv.id);

    const errored = localConversation(c, account.id, convs.find((x) => x.title.includes('#tool-error'))!.id)!;
    expect(errored.visitorName).toContain('Summarise the release notes');
    const rows = storedInMirror(c, errored.id);
    const toolRows = rows.filter((m) => m.senderType === 'tool');
    expect(toolRows.length).toBeGreaterThan(0);
    expect(toolRows.every((m) => m.kind === 'event')).toBe(true);
    expect(rows.find((m) => m.senderType === 'admin')?.kind).toBe('text');
    const call0 = rows.find((m) => m.senderType === 'agent' && m.kind === 'event')!;
    expect((call0.payload as OpenManusEventPayload).event).toBe('message.tool_call');

    await c.close();
    await b.stop('SIGKILL');
    const offline = await core(dir);
    const hits = await call<SearchHit[]>(offline, 'search', { query: 'timed out' });
    expect(hits.some((h) => h.conversationId === errored.id)).toBe(true);
  }, 60_000);

  it('a watched conversation streams every agent event with its payload; a reply runs the agent once', async () => {
    const { b, token, c, account, remoteId, row } = await watchedConversation();

    const clientId = randomUUID();
    await call(c, 'messages.send', { conversationId: row.id, content: 'Check <b>this</b> #tool-error #file #steps=2', clientId });
    const events = () => c.core.mirror.messages.all(row.id).filter((m) => m.remoteId?.startsWith('ev-'));
    const has = (event: string) => events().some((m) => (m.payload as OpenManusEventPayload).event === event);
    await waitFor(() => has('agent.finished'), 20_000, 'agent.finished mirrored');
    for (const e of ['agent.step', 'agent.thoughts.finish', 'agent.tools_prepared', 'agent.tool_error', 'agent.tool_result', 'file.created', 'agent.usage']) expect(has(e), e).toBe(true);
    const step = events().find((m) => (m.payload as OpenManusEventPayload).event === 'agent.step')!;
    expect(step).toMatchObject({ kind: 'event', senderType: 'agent', content: 'Step 1 of 20' });
    expect((step.payload as OpenManusEventPayload).data).toEqual({ step: 1, max_steps: 20 });
    const failed = events().find((m) => (m.payload as OpenManusEventPayload).event === 'agent.tool_error')!;
    expect((failed.payload as OpenManusEventPayload).error).toBe(true);

    const ours = c.core.mirror.messages.all(row.id).filter((m) => m.clientId === clientId);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ delivery: 'sent', content: 'Check <b>this</b> #tool-error #file #steps=2', senderType: 'admin' });
    await mirrorEqualsBackend(c, account.id, b, token, remoteId);
    const hits = await call<SearchHit[]>(c, 'search', { query: 'report.md' });
    expect(hits.some((h) => h.conversationId === row.id)).toBe(true);
  }, 60_000);

  it('a token expiring mid-run asks for a fresh one; after signing in again nothing is lost', async () => {
    const b = await backend(40);
    const c = await core();
    const account = await call<Account>(c, 'accounts.connect', { kind: 'openmanus', siteUrl: b.api, token: await b.mint(5) });
    await live(c);
    const remoteId = (await restConversations(b, await b.mint(60)))[0]!.id;
    const row = localConversation(c, account.id, remoteId)!;
    await call(c, 'conversations.watch', { conversationIds: [row.id] });
    const sent = await call<Message>(c, 'messages.send', { conversationId: row.id, content: 'a long task #ok #steps=19', clientId: randomUUID() });
    await waitFor(() => c.core.mirror.messages.all(row.id).find((m) => m.id === sent.id)?.delivery === 'sent', 5000, 'the reply sent');
    await waitFor(() => c.state() === 'auth-expired', 20_000, 'auth-expired');
    expect(c.states.at(-1)?.detail).toMatch(/token|sign in/i);
    const fresh = await b.mint(600);
    expect(answered(await restMessages(b, fresh, remoteId)), 'the run is still going').toBe(false);

    await call(c, 'accounts.signIn', { kind: 'openmanus', accountId: account.id, token: fresh });
    await live(c);
    await untilAnswered(b, fresh, remoteId);
    await mirrorEqualsBackend(c, account.id, b, fresh, remoteId);
  }, 60_000);

  it('the backend killed mid-run: unavailable, then back with every stored step once, in order', async () => {
    const { b, token, c, account, remoteId, row } = await watchedConversation(40);
    await call(c, 'messages.send', { conversationId: row.id, content: 'a long task #ok #steps=12', clientId: randomUUID() });
    const steps = () => c.core.mirror.messages.all(row.id).filter((m) => (m.payload as OpenManusEventPayload | null)?.event === 'agent.step').length;
    await waitFor(() => steps() >= 3, 15_000, 'three steps mirrored');
    await b.stop('SIGKILL');
    await waitFor(() => c.state() === 'unavailable', 15_000, 'unavailable');

    const again = await backend(20, b);
    await live(c);
    await mirrorEqualsBackend(c, account.id, again, token, remoteId);
    // The killed run's stored steps are there once; a new reply runs to its answer.
    await call(c, 'messages.send', { conversationId: row.id, content: 'after the restart #ok #steps=1', clientId: randomUUID() });
    await untilAnswered(again, token, remoteId);
    await mirrorEqualsBackend(c, account.id, again, token, remoteId);
    const ids = c.core.mirror.messages.all(row.id).map((m) => m.remoteId);
    expect(new Set(ids).size).toBe(ids.length);
  }, 60_000);

  it('hostile tool output (HTML, ~420 KB JSON, deep nesting) is kept as inert text with a capped payload', async () => {
    const { b, token, c, account, remoteId, row } = await watchedConversation();
    await call(c, 'messages.send', { conversationId: row.id, content: '#hostile #steps=3', clientId: randomUUID() });
    const results = () => c.core.mirror.messages.all(row.id).filter((m) => (m.payload as OpenManusEventPayload | null)?.event === 'agent.tool_result');
    await waitFor(() => results().length === 3, 20_000, 'three hostile results');
    for (const m of results()) {
      expect(m.content).toContain('<script>alert');
      expect(m.content.length).toBeLessThanOrEqual(20_000);
      expect((m.payload as OpenManusEventPayload).truncated).toBe(true);
      expect(JSON.stringify(m.payload).length).toBeLessThanOrEqual(256 * 1024);
    }
    await mirrorEqualsBackend(c, account.id, b, token, remoteId);
    const tool = c.core.mirror.messages.all(row.id).filter((m) => m.senderType === 'tool' && !m.remoteId?.startsWith('ev-'));
    expect(tool.filter((m) => m.content.startsWith('<script>'))).toHaveLength(3); // stored verbatim, as text
    const hits = await call<SearchHit[]>(c, 'search', { query: 'iframe' });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.snippet.map((p) => p.text).join('')).not.toMatch(/^\s*$/);
  }, 60_000);
});
