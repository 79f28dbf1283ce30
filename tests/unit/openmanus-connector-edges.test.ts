// The openmanus connector's less travelled paths with no network: a reconnect after an outage,
// conversations started here and not announced twice, messages of another conversation in a
// detail, malformed list items, a run ending while on screen, default event ids. The backend is
// an in-process fake fetch, sockets a fake opener and time fake timers
// (tests/support/openmanus-fake.ts); tests/integration/openmanus-connector.test.ts covers the
// real reference backend.
import { describe, expect, it, vi } from 'vitest';
import { fakeConnector, RecordingSink } from '../support/openmanus-fake';

const until = (check: () => void) => vi.waitFor(check, { interval: 1, timeout: 2000 });

function setup(options: { pollMs?: number; newId?: boolean } = {}) {
  return fakeConnector(options);
}

const frame = (event: string, payload: unknown) => JSON.stringify({ type: 'notify', event, payload });

describe('openmanus connector: edges', () => {
  it('connecting again after an outage starts afresh: the usual 30 s poll, no second "back" report', async () => {
    const t = setup();
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    t.sockets.of('c1')!.h.close(1006, '');
    expect(t.sink.links()).toEqual(['connected', 'unavailable']);
    await t.connector.disconnect();
    const again = new RecordingSink();
    await t.connector.connect(again);
    t.sockets.of('c1')!.h.open();
    expect(again.links()).toEqual(['connected']);
    t.timers.advance(29_999);
    expect(t.lists()).toBe(0);
    await t.poll(1);
  });

  it('a dropped socket replaces the pending poll with the sooner one instead of adding one', async () => {
    const t = setup({ pollMs: 60_000 });
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    t.sockets.of('c1')!.h.close(1006, '');
    t.timers.advance(375);
    t.sockets.of('c1')!.h.open();
    await t.poll(4625);
    t.timers.advance(59_999);
    expect(t.lists()).toBe(1);
    await t.poll(1);
  });

  it('a conversation started here is not announced again by the next poll', async () => {
    const t = setup({ pollMs: 1000 });
    await t.connector.connect(t.sink);
    const { conversation } = await t.connector.startConversation({ content: 'Go', model: 'gpt-4o' });
    t.sink.clear();
    await t.poll(1000);
    expect(t.sink.of('conversation')).toEqual([]);
    expect(t.backend.requests(`GET /conversations/${conversation.remoteId}`)).toHaveLength(1); // its run has a socket: not re-read
    expect(t.logs).toEqual([]);
  });

  it("a detail's messages of another conversation are left out", async () => {
    const t = setup();
    t.backend.add('c1');
    t.backend.force('GET /conversations/c1', {
      status: 200,
      body: {
        conversation: { id: 'c1' },
        messages: [
          { id: 'a', conversation_id: 'c1', role: 'user', content: 'mine', created_at: '2026-12-01T10:00:00Z' },
          { id: 'b', conversation_id: 'c2', role: 'assistant', content: 'theirs', created_at: '2026-12-01T10:00:01Z' },
        ],
      },
    });
    const page = await t.connector.messagesBefore('c1', null, 10);
    expect(page.items.map((m) => m.remoteId)).toEqual(['a']);
  });

  it('a malformed list item is skipped with a warning to the sink', async () => {
    const t = setup();
    await t.connector.connect(t.sink);
    t.backend.force('GET /conversations', { status: 200, body: [{ id: 'ok-1', title: 't' }, { title: 'no id' }] });
    t.backend.add('ok-1');
    const page = await t.connector.listConversations();
    expect(page.items.map((c) => c.remoteId)).toEqual(['ok-1']);
    expect(t.sink.of('warn')).toEqual([['warn', 'Skipped a malformed conversation (#1): Invalid input: expected string, received undefined']]);
  });

  it('a run that ends while its conversation is on screen keeps the socket and needs no extra fetch', async () => {
    const t = setup();
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    const s = t.sockets.of('c1')!;
    s.h.message(frame('agent.step', { step: 1, max_steps: 1 }));
    s.h.message(frame('agent.finished', {}));
    t.timers.advance(3000);
    expect(t.sockets.openIds()).toEqual(['c1']);
    expect(t.sink.stales()).toEqual([]);
    // Events that end nothing (a file written) leave the run as it is.
    t.connector.watch(['c2']);
    const c2 = t.sockets.of('c2')!;
    c2.h.message(frame('agent.step', { step: 1, max_steps: 2 }));
    t.connector.watch([]);
    c2.h.message(frame('file.created', { file: { path: '/w/a.md' } }));
    t.timers.advance(3000);
    expect(t.sockets.openIds()).toEqual(['c2']);
  });

  it('events get an id of their own when none is given', async () => {
    const t = setup({ newId: false });
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    t.sockets.of('c1')!.h.message(frame('agent.step', { step: 1, max_steps: 1 }));
    t.sockets.of('c1')!.h.message(frame('agent.step', { step: 2, max_steps: 2 }));
    const ids = t.sink.of('messages').map((e) => e[2][0]!.remoteId);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^ev-[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('polls by itself (the engine does not poll it) and reports nothing back before the socket opens', async () => {
    const t = setup({ pollMs: 60_000 });
    expect(t.connector.pollsItself).toBe(true);
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    t.sockets.of('c1')!.h.close(1006, '');
    t.timers.advance(375); // the retry connects: not yet an answer from the backend
    expect(t.sockets.attempts).toHaveLength(2);
    expect(t.sink.links()).toEqual(['connected', 'unavailable']);
    t.sockets.of('c1')!.h.rejected(403);
    await until(() => expect(t.sink.links()).toEqual(['connected', 'unavailable', 'auth-expired']));
  });

  it('pages end exactly at the oldest message, and the cursor is the last item of the page', async () => {
    const t = setup();
    t.backend.add('c1', [1, 2, 3, 4, 5].map((i) => ({ role: 'assistant' as const, content: `t${i}`, at: i * 1000 })));
    const [m1, m2, m3, , m5] = t.backend.get('c1').messages.map((m) => m.id);
    expect(await t.connector.messagesBefore('c1', null, 5)).toMatchObject({ next: null });
    expect((await t.connector.messagesBefore('c1', null, 3)).next).toBe(m3);
    expect(await t.connector.messagesAfter('c1', null, 5)).toMatchObject({ next: null });
    expect((await t.connector.messagesAfter('c1', null, 3)).next).toBe(m3);
    expect((await t.connector.messagesAfter('c1', m1!, 3)).items.map((m) => m.remoteId)).toEqual([m2, m3, t.backend.get('c1').messages[3]!.id]);
    expect((await t.connector.messagesBefore('c1', m5!, 4)).next).toBeNull();
  });

  it("a reply's read-back picks the sent message even when the agent wrote after it", async () => {
    const t = setup();
    t.backend.add('c1');
    await t.connector.connect(t.sink);
    const stored = (id: string, content: string, at: string) => ({ id, conversation_id: 'c1', role: 'user', content, created_at: at });
    t.backend.force('POST /conversations/c1/messages', { status: 201, body: { message_id: 'sent' } });
    t.backend.force('GET /conversations/c1/messages', { status: 200, body: [stored('later', 'agent', '2026-12-01T10:00:02Z'), stored('sent', 'mine', '2026-12-01T10:00:01Z')] });
    const reply = await t.connector.sendReply('c1', 'mine', 'cl');
    expect([reply.remoteId, reply.content, reply.createdAt]).toEqual(['sent', 'mine', Date.parse('2026-12-01T10:00:01Z')]);
  });

  it('a conversation continued elsewhere with its agent running again gets a socket', async () => {
    const t = setup({ pollMs: 1000 });
    t.backend.add('c1', [
      { role: 'user', content: 'q', at: 1000 },
      { role: 'assistant', content: 'a', at: 2000 },
    ]);
    await t.connector.connect(t.sink);
    await t.connector.listConversations();
    t.backend.say('c1', 'assistant', 'a note', 3000);
    await t.poll(1000);
    expect(t.sink.stales()).toEqual(['c1']);
    expect(t.sockets.openIds()).toEqual([]);
    t.backend.say('c1', 'user', 'again', 4000);
    await t.poll(1000);
    expect(t.sockets.openIds()).toEqual(['c1']);
  });
});
