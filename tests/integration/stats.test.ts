// The Stats view's numbers over a real mirror: local days and hours (an offset moves them),
// per account or all, first-response median and p90, unanswered conversations.
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { percentile } from '../../src/shared/stats';
import { openTempMirror } from '../support/temp-db';

let close: (() => void) | undefined;
afterEach(() => {
  close?.();
  close = undefined;
});

const H = 3_600_000;
const M = 60_000;
// "Now": 2026-03-10 15:00 UTC.
const NOW = Date.UTC(2026, 2, 10, 15, 0, 0);
const day = (y: number, mo: number, d: number) => Date.UTC(y, mo - 1, d);

function fill() {
  const opened = openTempMirror();
  close = opened.close;
  const { mirror } = opened;
  const a = mirror.accounts.create({ kind: 'portfolio', name: 'A', baseUrl: 'http://a' }, 1);
  const b = mirror.accounts.create({ kind: 'portfolio', name: 'B', baseUrl: 'http://b' }, 1);
  let remote = 0;
  const conversation = (accountId: number, startedAt: number, replyAfter: number | null) => {
    const { row } = mirror.conversations.upsert(accountId, { remoteId: String(++remote), visitorName: `V${remote}`, createdAt: startedAt, lastMessageAt: startedAt }, startedAt);
    const msgs: RemoteMessage[] = [{ remoteId: `${remote}-v`, senderType: 'visitor', content: 'hi', createdAt: startedAt }];
    if (replyAfter !== null) msgs.push({ remoteId: `${remote}-a`, senderType: 'admin', content: 'hello', createdAt: startedAt + replyAfter });
    mirror.messages.apply(row.id, msgs);
  };
  mirror.transaction(() => {
    // Today (UTC): three in account A answered after 1, 2 and 10 minutes; one in B never answered.
    conversation(a.id, day(2026, 3, 10) + 9 * H, 1 * M);
    conversation(a.id, day(2026, 3, 10) + 9 * H + 5 * M, 2 * M);
    conversation(a.id, day(2026, 3, 10) + 14 * H, 10 * M);
    conversation(b.id, day(2026, 3, 10) + 1 * H, null);
    // Two days ago, at 23:30 UTC: in UTC+7 that is the next morning.
    conversation(b.id, day(2026, 3, 8) + 23 * H + 30 * M, 4 * M);
    // Long ago: outside a 7-day period.
    conversation(a.id, day(2026, 1, 1) + 10 * H, 1 * M);
  });
  return { mirror, a, b };
}

describe('stats', () => {
  it('counts conversations and replies per local day, visitor messages per hour, and first responses', () => {
    const { mirror } = fill();
    const s = mirror.stats.stats({ days: 7, utcOffsetMinutes: 0 }, NOW);
    expect(s.perDay).toHaveLength(7);
    expect(s.perDay.at(-1)).toEqual({ day: day(2026, 3, 10), conversations: 4, replies: 3 });
    expect(s.perDay.at(-3)).toEqual({ day: day(2026, 3, 8), conversations: 1, replies: 1 });
    expect(s.perDay.reduce((n, d) => n + d.conversations, 0)).toBe(5);
    expect(s.hours[9]).toBe(2);
    expect(s.hours[14]).toBe(1);
    expect(s.hours[23]).toBe(1);
    expect(s.hours[1]).toBe(1);
    // 1, 2, 4, 10 minutes: median (nearest rank) 2, p90 10; one unanswered.
    expect(s.firstResponse).toEqual({ medianMs: 2 * M, p90Ms: 10 * M, answered: 4, unanswered: 1 });
  });

  it('today is the local day when the offset has already crossed midnight (mutation run, session 6)', () => {
    const opened = openTempMirror();
    close = opened.close;
    const { mirror } = opened;
    const a = mirror.accounts.create({ kind: 'portfolio', name: 'A', baseUrl: 'http://a' }, 1);
    mirror.transaction(() => {
      // 2026-03-10 16:30 UTC is 23:30 in UTC+7 (yesterday there); 17:30 UTC is 00:30 on the 11th.
      for (const [remoteId, at] of [['late', day(2026, 3, 10) + 16 * H + 30 * M], ['early', day(2026, 3, 10) + 17 * H + 30 * M]] as const)
        mirror.conversations.upsert(a.id, { remoteId, createdAt: at, lastMessageAt: at }, at);
    });
    // 20:00 UTC: 03:00 on 2026-03-11 in UTC+7.
    const s = mirror.stats.stats({ days: 1, utcOffsetMinutes: 7 * 60 }, day(2026, 3, 10) + 20 * H);
    expect(s.perDay).toEqual([{ day: day(2026, 3, 11) - 7 * H, conversations: 1, replies: 0 }]);
  });

  it('days and hours follow the offset given (UTC+7)', () => {
    const { mirror } = fill();
    const s = mirror.stats.stats({ days: 7, utcOffsetMinutes: 7 * 60 }, NOW);
    // 2026-03-08 23:30 UTC is 2026-03-09 06:30 in UTC+7.
    const local = (y: number, mo: number, d: number) => day(y, mo, d) - 7 * H;
    expect(s.perDay.find((d) => d.day === local(2026, 3, 9))).toEqual({ day: local(2026, 3, 9), conversations: 1, replies: 1 });
    expect(s.hours[6]).toBe(1);
    expect(s.hours[16]).toBe(2); // 09:00 UTC
  });

  it('per account, and over a longer period', () => {
    const { mirror, a, b } = fill();
    expect(mirror.stats.stats({ days: 7, utcOffsetMinutes: 0, accountId: a.id }, NOW).firstResponse).toEqual({ medianMs: 2 * M, p90Ms: 10 * M, answered: 3, unanswered: 0 });
    expect(mirror.stats.stats({ days: 7, utcOffsetMinutes: 0, accountId: b.id }, NOW).firstResponse).toEqual({ medianMs: 4 * M, p90Ms: 4 * M, answered: 1, unanswered: 1 });
    const year = mirror.stats.stats({ days: 90, utcOffsetMinutes: 0 }, NOW);
    expect(year.perDay.reduce((n, d) => n + d.conversations, 0)).toBe(6);
    expect(year.firstResponse.answered).toBe(5);
  });

  it('an empty mirror has zeros and no times', () => {
    const opened = openTempMirror();
    close = opened.close;
    const s = opened.mirror.stats.stats({ days: 30, utcOffsetMinutes: -300 }, NOW);
    expect(s.perDay).toHaveLength(30);
    expect(s.perDay.every((d) => d.conversations === 0 && d.replies === 0)).toBe(true);
    expect(s.hours).toEqual(Array(24).fill(0));
    expect(s.firstResponse).toEqual({ medianMs: null, p90Ms: null, answered: 0, unanswered: 0 });
  });

  it('percentile is nearest-rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});
