// The plain check of a page of portfolio messages (message-page-check.ts) against the zod schema
// it stands in for (WireMessage, then toRemoteMessage): for every field, values the schema takes
// and values it refuses, alone and mixed. The check must refuse whatever the schema refuses (the
// connector then goes the zod way, which skips and logs the bad message) and give exactly the
// schema's conversion for the rest. portfolio-message-pages.test.ts covers the connector's paths.
import { describe, expect, it } from 'vitest';
import { checkMessagePage } from '../../src/main/core/connectors/portfolio/message-page-check';
import { WireMessage, toRemoteMessage } from '../../src/main/core/connectors/portfolio/wire';

const base = {
  id: 41,
  conversationId: 7,
  content: 'hello',
  senderType: 'visitor',
  senderId: null,
  isRead: false,
  readAt: null,
  clientMessageId: null,
  createdAt: '2026-11-30T10:00:00.000Z',
};

const ABSENT = Symbol('absent');
/** Per field, values to try (ABSENT: the field left out); the schema says which it takes. */
const VARIANTS: Record<keyof typeof base, unknown[]> = {
  id: [1, 41, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 0, -3, 1.5, Number.NaN, '41', '0', '000123', '1234567890123456', '12a', '', ' 41', '-4', 4e20, null, true, ABSENT],
  conversationId: [7, '7', 0, -1, 2.5, 'seven', null, ABSENT],
  content: ['', 'x'.repeat(5000), 'déjà 😀', 42, null, ABSENT],
  senderType: ['visitor', 'admin', 'member', 'Visitor', '', null, ABSENT],
  senderId: [null, '1', '', 0, 3.5, 1e300, Number.POSITIVE_INFINITY, Number.NaN, true, {}, ABSENT],
  isRead: [true, false, null, 1, 'true', ABSENT],
  readAt: [null, '2026-11-30T10:05:00.000Z', '2026-11-30', 'Mon, 30 Nov 2026 10:05:00 GMT', '', 'yesterday', 0, ABSENT],
  clientMessageId: [null, 'c-1', '', 'a'.repeat(100), 'a'.repeat(101), '😀'.repeat(50), '😀'.repeat(51), `${'😀'.repeat(50)}\uD83D`, '\uD83D'.repeat(100), '\uD83D'.repeat(101), 5, ABSENT],
  createdAt: ['2026-11-30T10:00:00.000Z', '2026-11-30T10:00:00Z', '2026-11-30', '1 Dec 2026', '', 'soon', 1_700_000_000_000, null, ABSENT],
};

function variant(field: keyof typeof base, value: unknown): Record<string, unknown> {
  const m: Record<string, unknown> = { ...base };
  if (value === ABSENT) delete m[field];
  else m[field] = value;
  return m;
}

/** What the connector made of one message before the plain check: null where WireMessage refuses it. */
function bySchema(raw: unknown) {
  const parsed = WireMessage.safeParse(raw);
  return parsed.success ? toRemoteMessage(parsed.data) : null;
}

describe('the plain check of a portfolio message page', () => {
  const cases = Object.entries(VARIANTS).flatMap(([field, values]) => values.map((value) => variant(field as keyof typeof base, value)));

  it('takes what WireMessage takes, converted the same, and refuses what it refuses, field by field', () => {
    let refused = 0;
    for (const raw of cases) {
      const expected = bySchema(raw);
      if (expected === null) refused++;
      expect(checkMessagePage([raw]), JSON.stringify(raw)).toEqual(expected === null ? null : [expected]);
    }
    // The table holds both kinds, plenty of each.
    expect(refused).toBeGreaterThan(30);
    expect(cases.length - refused).toBeGreaterThan(30);
  });

  it('refuses what is not a message at all', () => {
    for (const raw of [null, undefined, 41, 'message', [], [base]]) {
      expect(bySchema(raw)).toBeNull();
      expect(checkMessagePage([raw])).toBeNull();
    }
  });

  it('a page is taken whole or not at all: one refused message refuses the page', () => {
    const good = cases.filter((raw) => bySchema(raw) !== null);
    const bad = cases.filter((raw) => bySchema(raw) === null);
    expect(checkMessagePage(good)).toEqual(good.map(bySchema));
    for (const b of bad.slice(0, 20)) expect(checkMessagePage([...good.slice(0, 5), b, ...good.slice(5, 10)])).toBeNull();
    expect(checkMessagePage([])).toEqual([]);
  });

  it('keeps the page in order and each message its own times', () => {
    const page = [variant('readAt', '2026-11-30T10:05:00.000Z'), variant('isRead', true), { ...base, id: '42', senderType: 'admin', senderId: 9, clientMessageId: 'c-9' }];
    expect(checkMessagePage(page)).toEqual([
      { remoteId: '41', clientId: null, seq: 41, senderType: 'visitor', senderId: null, content: 'hello', createdAt: Date.parse(base.createdAt), readAt: Date.parse('2026-11-30T10:05:00.000Z') },
      { remoteId: '41', clientId: null, seq: 41, senderType: 'visitor', senderId: null, content: 'hello', createdAt: Date.parse(base.createdAt), readAt: Date.parse(base.createdAt) },
      { remoteId: '42', clientId: 'c-9', seq: 42, senderType: 'admin', senderId: '9', content: 'hello', createdAt: Date.parse(base.createdAt), readAt: null },
    ]);
  });
});
