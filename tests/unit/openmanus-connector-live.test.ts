// The openmanus connector's live side with no network: a socket per conversation on screen or
// with an agent running, frames to the sink, a run's socket closed after its end, link states from
// dropped sockets and failed polls, sign-in-again, and the list polled for conversations started or
// continued elsewhere. The backend is an in-process fake fetch, sockets a fake opener and time fake
// timers (tests/support/openmanus-fake.ts); tests/integration/openmanus-connector.test.ts runs the
// same behaviour against the real reference backend.
import { describe, expect, it, vi } from 'vitest';
import { fakeConnector, FakeCredentials } from '../support/openmanus-fake';

function setup(options: { pollMs?: number; credentials?: FakeCredentials } = {}) {
  return fakeConnector(options);
}

const frame = (event: string, payload: unknown) => JSON.stringify({ type: 'notify', event, payload });

describe('openmanus connector: connecting and polling', () => {
  it('reports connected with a gap, then polls the list every 30 s until disconnected', async () => {
    const t = setup();
    await t.connector.connect(t.sink);
    expect(t.sink.events).toEqual([
      ['link', 'connected', undefined],
      ['gap', 'connected'],
    ]);
    t.timers.advance(29_999);
    expect(t.lists()).toBe(0);
    await t.poll(1);
    await t.poll(30_000);
    await t.connector.disconnect();
    expect(t.timers.count).toBe(0);
    t.timers.advance(60_000);
    expect(t.lists()).toBe(2);
  });

  it('a poll under way when the account disconnects schedules no next one', async () => {
    const t = setup({ pollMs: 1000 });
    await t.connector.connect(t.sink);
    t.backend.add('c1');
    const waiting: (() => void)[] = [];
    t.backend.hold((release) => waiting.push(release));
    t.timers.advance(1000);
    await vi.waitFor(() => expect(waiting).toHaveLength(1));
    await t.connector.disconnect();
    t.backend.hold(null);
    waiting.shift()!();
    // The poll still reads the new conversation, then re-reads it as idle: its last steps.
    await vi.waitFor(() => expect(t.backend.requests('GET /conversations/c1')).toHaveLength(2));
    expect(t.timers.count).toBe(0);
    expect(t.sink.events.slice(2)).toEqual([]);
  });

  it('a conversation started elsewhere is announced and fetched once; known ones are not', async () => {
    const t = setup({ pollMs: 1000 });
    t.backend.add('c1', [{ role: 'assistant', content: 'old', at: 1000 }]);
    await t.connector.connect(t.sink);
    await t.connector.listConversations();
    t.sink.clear();
    t.backend.add('c2', [{ role: 'assistant', content: 'from the web', at: 5000 }]);
    await t.poll(1000);
    expect(t.sink.events.map((e) => (e[0] === 'conversation' ? ['conversation', e[1].remoteId, e[1].lastMessagePreview] : e))).toEqual([
      ['conversation', 'c2', 'from the web'],
      ['stale', 'c2'],
    ]);
    t.sink.clear();
    await t.poll(1000);
    expect(t.sink.events).toEqual([]);
  });

  it('a new conversation the backend refuses to show is skipped, and not asked for again', async () => {
    const t = setup({ pollMs: 1000 });
    await t.connector.connect(t.sink);
    t.backend.add('hidden');
    t.backend.force('GET /conversations/hidden', { status: 403, body: { detail: 'Not yours.' } });
    await t.poll(1000);
    expect(t.sink.events).toEqual([
      ['link', 'connected', undefined],
      ['gap', 'connected'],
      ['warn', 'Skipped conversation hidden: Not yours.'],
    ]);
    await t.poll(1000);
    expect(t.backend.requests('GET /conversations/hidden')).toHaveLength(1);
  });

  it('re-reads the newest 5 idle conversations and one older in turn; one continued elsewhere is fetched', async () => {
    const t = setup({ pollMs: 1000 });
    for (let i = 1; i <= 7; i++) t.backend.add(`c${i}`, [{ role: 'assistant', content: 'done', at: i * 1000 }]);
    await t.connector.connect(t.sink);
    await t.connector.listConversations();
    const reads = () => t.backend.calls.filter((c) => /^\/conversations\/c\d$/.test(c.path)).map((c) => c.path.slice(15));
    const before = reads().length;
    await t.poll(1000);
    expect(reads().slice(before)).toEqual(['c7', 'c6', 'c5', 'c4', 'c3', 'c2']);
    const second = reads().length;
    await t.poll(1000);
    expect(reads().slice(second)).toEqual(['c7', 'c6', 'c5', 'c4', 'c3', 'c1']);
    expect(t.sink.stales()).toEqual([]);

    t.backend.say('c6', 'user', 'and now?', 9000);
    t.backend.say('c5', 'assistant', 'a late note', 9000);
    await t.poll(1000);
    expect(t.sink.stales()).toEqual(['c6', 'c5']);
    // c6's agent runs again: it gets a socket, and is no longer re-read by the poll.
    expect(t.sockets.openIds()).toEqual(['c6']);
    const third = reads().length;
    await t.poll(1000);
    expect(reads().slice(third)).toEqual(['c7', 'c5', 'c4', 'c3', 'c2', 'c1']);
  });

  it('a failed poll: unreachable → unavailable and polled sooner (backing off) until back; 401 → sign in again; else logged', async () => {
    const t = setup({ pollMs: 60_000 });
    await t.connector.connect(t.sink);
    t.sink.clear();
    t.backend.force('GET /conversations', { status: 503, body: { detail: 'Service Unavailable' } }, { status: 502 });
    await t.poll(60_000);
    expect(t.sink.events).toEqual([['link', 'unavailable', 'Service Unavailable']]);
    // 5 s with equal jitter at random 0.5, then twice that.
    t.timers.advance(3749);
    expect(t.lists()).toBe(1);
    await t.poll(1);
    expect(t.sink.events).toHaveLength(1);
    t.timers.advance(7499);
    expect(t.lists()).toBe(2);
    await t.poll(1);
    expect(t.sink.events.slice(1)).toEqual([
      ['link', 'connected', undefined],
      ['gap', 'the backend answers again'],
    ]);
    t.timers.advance(59_999);
    expect(t.lists()).toBe(3);

    t.sink.clear();
    t.backend.force('GET /conversations', { status: 401, body: { detail: 'Signature has expired' } });
    await t.poll(1);
    expect(t.sink.events).toEqual([['link', 'auth-expired', 'The backend refused the token (Signature has expired): paste a fresh one.']]);
    expect(t.credentials.refreshes).toBe(1);

    t.sink.clear();
    t.backend.force('GET /conversations', { status: 200, body: { not: 'a list' } });
    await t.poll(60_000);
    expect(t.sink.events).toEqual([]);
    expect(t.logs).toHaveLength(1);
    expect(t.logs[0]).toMatch(/^openmanus: polling the conversation list failed: Unexpected answer from \/conversations: not an OpenManus backend/);
  });

  it('a backend gone for good is polled 16 times in its first 10 minutes (every 5 s before: 120)', async () => {
    const t = setup({ pollMs: 60_000 });
    await t.connector.connect(t.sink);
    t.backend.force('GET /conversations', ...Array.from({ length: 40 }, () => ({ status: 503, body: { detail: 'Service Unavailable' } })));
    await t.poll(60_000);
    const failedAt = t.timers.now;
    // 3.75, 7.5, 15, 30 s, then 45 s each (the 60 s cap at random 0.5).
    for (const wait of [3750, 7500, 15_000, 30_000, ...Array.from({ length: 12 }, () => 45_000)]) await t.poll(wait);
    expect(t.timers.now - failedAt).toBeLessThan(600_000);
    expect(t.lists()).toBe(17);
    expect(t.logs).toEqual([]);
  });
});

describe('openmanus connector: sockets', () => {
  it('one socket per conversation on screen, opened once connected, closed when it leaves the screen', async () => {
    const t = setup();
    t.connector.watch(['c1']);
    expect(t.sockets.attempts).toEqual([]);
    await t.connector.connect(t.sink);
    expect(t.sockets.attempts.map((a) => a.url)).toEqual(['ws://agents.test/ws/conversations/c1/?token=tok-1']);
    t.connector.watch(['c1', 'c 2']);
    expect(t.sockets.attempts.map((a) => a.url)).toEqual(['ws://agents.test/ws/conversations/c1/?token=tok-1', 'ws://agents.test/ws/conversations/c%202/?token=tok-1']);
    t.connector.watch(['c 2']);
    expect(t.sockets.attempts.map((a) => a.closed)).toEqual([true, false]);
    await t.connector.disconnect();
    expect(t.sockets.attempts.map((a) => a.closed)).toEqual([true, true]);
  });

  it('every (re)open marks the conversation stale and drops the history cached before it', async () => {
    const t = setup();
    t.backend.add('c1', [{ role: 'assistant', content: 'hi', at: 1000 }]);
    await t.connector.connect(t.sink);
    await t.connector.listConversations();
    t.connector.watch(['c1']);
    t.sockets.of('c1')!.h.open();
    expect(t.sink.stales()).toEqual(['c1']);
    await t.connector.messagesBefore('c1', null, 10);
    expect(t.backend.requests('GET /conversations/c1')).toHaveLength(2);
  });

  it('frames reach the sink as messages; a malformed one is skipped with a warning', async () => {
    const t = setup();
    t.backend.add('c1', [{ role: 'assistant', content: 'hi', at: 1000 }]);
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    const s = t.sockets.of('c1')!;
    s.h.open();
    await t.connector.messagesBefore('c1', null, 10);
    t.sink.clear();
    s.h.message(frame('agent.step', { step: 1, max_steps: 20 }));
    s.h.message('not json');
    expect(t.sink.events).toEqual([
      ['messages', 'c1', [{ remoteId: 'ev-1', clientId: null, seq: 0, senderType: 'agent', content: 'Step 1 of 20', createdAt: 1000 + 1, kind: 'event', payload: { event: 'agent.step', error: false, run: 'running', truncated: false, data: { step: 1, max_steps: 20 } } }]],
      ['warn', 'Skipped a malformed frame of conversation c1: frame is not JSON'],
    ]);
    // A frame makes the cached history old news.
    await t.connector.messagesBefore('c1', null, 10);
    expect(t.backend.requests('GET /conversations/c1')).toHaveLength(2);
  });

  it("a run's socket closes 3 s after the agent's end, with one more fetch; not while on screen or running again", async () => {
    const t = setup();
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    const s = t.sockets.of('c1')!;
    s.h.message(frame('agent.step', { step: 1, max_steps: 2 }));
    t.connector.watch([]);
    expect(t.sockets.openIds()).toEqual(['c1']);
    // A stored answer alone does not end the run: agent.finished follows it.
    s.h.message(frame('message.created', { message: { id: 'm9', conversation_id: 'c1', role: 'assistant', content: 'done', created_at: '2026-12-01T10:00:00Z' } }));
    t.timers.advance(10_000);
    expect(t.sockets.openIds()).toEqual(['c1']);
    s.h.message(frame('agent.finished', {}));
    t.timers.advance(2999);
    expect(t.sockets.openIds()).toEqual(['c1']);
    expect(t.sink.stales()).toEqual([]);
    t.timers.advance(1);
    expect(t.sockets.openIds()).toEqual([]);
    expect(t.sink.stales()).toEqual(['c1']);

    t.connector.watch(['c2', 'c3']);
    const c2 = t.sockets.of('c2')!;
    c2.h.message(frame('agent.error', { type: 'LLMError' }));
    const c3 = t.sockets.of('c3')!;
    c3.h.message(frame('agent.stuck', {}));
    c3.h.message(frame('agent.step', { step: 2, max_steps: 3 }));
    t.connector.watch([]);
    expect(t.sockets.openIds()).toEqual(['c3']);
    t.timers.advance(3000);
    expect(t.sockets.openIds()).toEqual(['c3']);
    expect(t.sink.stales()).toEqual(['c1', 'c2']);
    // After disconnecting, a pending end does nothing.
    c3.h.message(frame('agent.finished', {}));
    await t.connector.disconnect();
    t.timers.advance(3000);
    expect(t.sink.stales()).toEqual(['c1', 'c2']);
  });

  it('a dropped socket reports unavailable once and polls within 5 s; its reopen reports connected with a gap', async () => {
    const t = setup({ pollMs: 60_000 });
    await t.connector.connect(t.sink);
    t.connector.watch(['c1', 'c2']);
    t.sink.clear();
    t.sockets.of('c1')!.h.open();
    t.sockets.of('c2')!.h.open();
    expect(t.sink.links()).toEqual([]);
    t.sockets.of('c1')!.h.close(1006, '');
    t.sockets.of('c2')!.h.error(new Error('ECONNRESET'));
    expect(t.sink.of('link')).toEqual([['link', 'unavailable', "A conversation's socket dropped: closed (1006); retrying in 0.4 s"]]);
    t.timers.advance(375); // the retries are due
    expect(t.sockets.attempts).toHaveLength(4);
    t.sockets.of('c1')!.h.open();
    expect(t.sink.events.filter((e) => e[0] !== 'stale').slice(1)).toEqual([
      ['link', 'connected', undefined],
      ['gap', 'the backend answers again'],
    ]);
    t.sockets.of('c2')!.h.open();
    expect(t.sink.links()).toEqual(['unavailable', 'connected']);
    // The sooner poll set when it dropped is still due, at 3.75 s (5 s, equal jitter at random 0.5).
    t.timers.advance(3374);
    expect(t.lists()).toBe(0);
    await t.poll(1);
  });

  it('an auth close is renewed through the port and the socket resumes; failing that, sign in again', async () => {
    const renewing = setup({ credentials: new FakeCredentials({ token: 'old' }, { token: 'new' }) });
    await renewing.connector.connect(renewing.sink);
    renewing.connector.watch(['c1']);
    renewing.sockets.of('c1')!.h.close(4401, 'expired');
    await vi.waitFor(() => expect(renewing.sockets.attempts).toHaveLength(2));
    expect(renewing.sockets.of('c1')!.url).toBe('ws://agents.test/ws/conversations/c1/?token=new');
    expect(renewing.sink.links()).toEqual(['connected']);

    const t = setup();
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    t.sockets.of('c1')!.h.rejected(403);
    await vi.waitFor(() => expect(t.sink.links()).toEqual(['connected', 'auth-expired']));
    expect(t.sink.of('link').at(-1)![2]).toBe('The backend refused the socket (HTTP 403): paste a fresh token.');
    expect(t.sockets.attempts).toHaveLength(1);
  });

  it('a socket opened with the session cookie sends it as a header', async () => {
    const t = setup({ credentials: new FakeCredentials({ sessionid: 's-1' }) });
    await t.connector.connect(t.sink);
    t.connector.watch(['c1']);
    expect(t.sockets.attempts.map((a) => [a.url, a.headers])).toEqual([['ws://agents.test/ws/conversations/c1/', { Cookie: 'sessionid=s-1' }]]);
  });
});
