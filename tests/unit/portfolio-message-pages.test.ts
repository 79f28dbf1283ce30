// A page of messages is checked in one pass; a page with a malformed message is checked message
// by message, so the others still arrive and the bad one is skipped and logged. The answers are
// fed through the connector's fetch (its constructor argument): the reference backend never
// serves a malformed message, real deployments sometimes do (backends.md §1).
import { describe, expect, it } from 'vitest';
import { PortfolioConnector } from '../../src/main/core/connectors/portfolio/portfolio-connector';

const wire = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  conversationId: 7,
  content: `message ${id}`,
  senderType: 'visitor',
  senderId: null,
  isRead: false,
  readAt: null,
  clientMessageId: null,
  createdAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
  ...extra,
});

function connector(messages: unknown[]) {
  const logged: string[] = [];
  const fetch = (async () =>
    new Response(JSON.stringify({ success: true, data: { messages, hasMore: true, nextCursor: 3 } }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    })) as typeof globalThis.fetch;
  const c = new PortfolioConnector({
    baseUrl: 'http://127.0.0.1:9',
    pusher: { key: 'k', cluster: 'mt1' },
    extensions: true,
    token: () => 'token',
    log: (m) => logged.push(m),
    fetch,
  });
  return { c, logged };
}

describe('portfolio message pages', () => {
  it('a well-formed page arrives whole, in order, with ids and times converted', async () => {
    const { c, logged } = connector([wire(3), wire(4, { id: '4', senderType: 'admin', readAt: new Date(1_700_000_010_000).toISOString() }), wire(5, { isRead: true })]);
    const page = await c.messagesBefore('7', null, 100);
    expect(page.items.map((m) => [m.remoteId, m.seq, m.senderType, m.readAt])).toEqual([
      ['3', 3, 'visitor', null],
      ['4', 4, 'admin', 1_700_000_010_000],
      ['5', 5, 'visitor', 1_700_000_005_000],
    ]);
    expect(page.next).toBe('3');
    expect(logged).toEqual([]);
  });

  it('a malformed message is skipped and logged; the rest of its page still arrives', async () => {
    const { c, logged } = connector([wire(3), wire(4, { senderType: 'robot' }), { id: 5 }, wire(6, { createdAt: 'yesterday' }), wire(7)]);
    const page = await c.messagesAfter('7', '2', 100);
    expect(page.items.map((m) => m.remoteId)).toEqual(['3', '7']);
    expect(logged).toEqual(Array(3).fill('portfolio: skipped a malformed message'));
  });
});
