// The one backoff helper (src/main/core/sync/backoff.ts): jitter within its bounds, the cap,
// growth after a flat start, reset on success, and a server's Retry-After (seconds or an HTTP
// date) obeyed up to MAX_SERVER_WAIT_MS. Random and "now" are passed in, so nothing here waits.
import { describe, expect, it } from 'vitest';
import { Backoff, MAX_SERVER_WAIT_MS, parseRetryAfter, retryDelay, type BackoffPolicy } from '../../src/main/core/sync/backoff';

const policy: BackoffPolicy = { baseMs: 1000, maxMs: 8000 };
const low = () => 0;
const high = () => 0.999999;

describe('retryDelay', () => {
  it('equal jitter: between half the ceiling and the ceiling, which doubles up to the cap', () => {
    const ceilings = [1000, 2000, 4000, 8000, 8000, 8000];
    ceilings.forEach((ceiling, i) => {
      expect(retryDelay(policy, i + 1, low)).toBe(ceiling / 2);
      expect(retryDelay(policy, i + 1, high)).toBe(ceiling);
      expect(retryDelay(policy, i + 1, () => 0.5)).toBe((ceiling * 3) / 4);
    });
    expect(retryDelay(policy, 10_000, high)).toBe(8000);
  });

  it('no jitter: always the ceiling, whatever random says', () => {
    const none: BackoffPolicy = { ...policy, jitter: 'none' };
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(none, n, low))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('flat attempts: the first failures retry at the base, then the delay doubles', () => {
    const flat: BackoffPolicy = { baseMs: 2000, maxMs: 60_000, jitter: 'none', flatAttempts: 2 };
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => retryDelay(flat, n, low))).toEqual([2000, 2000, 2000, 4000, 8000, 16_000, 60_000]);
  });

  it('a Retry-After longer than our own delay wins; a shorter, absent or unusable one does not', () => {
    expect(retryDelay(policy, 1, high, 30_000)).toBe(30_000);
    expect(retryDelay(policy, 1, high, 10)).toBe(1000);
    expect(retryDelay(policy, 1, high, undefined)).toBe(1000);
    expect(retryDelay(policy, 1, high, 0)).toBe(1000);
    expect(retryDelay(policy, 1, high, -5000)).toBe(1000);
    expect(retryDelay(policy, 1, high, Number.NaN)).toBe(1000);
  });

  it('a server cannot park a retry for longer than MAX_SERVER_WAIT_MS', () => {
    expect(retryDelay(policy, 1, high, 31 * 365 * 24 * 3600 * 1000)).toBe(MAX_SERVER_WAIT_MS);
  });
});

describe('Backoff', () => {
  it('grows with each failure, counts them, and starts over after a success', () => {
    const randoms = [0, 1, 0.5, 0];
    const b = new Backoff(policy, () => randoms.shift() ?? 0);
    expect(b.failures).toBe(0);
    expect(b.failed()).toBe(500); // ceiling 1000, random 0
    expect(b.failed()).toBe(2000); // ceiling 2000, random 1
    expect(b.failed()).toBe(3000); // ceiling 4000, random 0.5
    expect(b.failures).toBe(3);
    b.succeeded();
    expect(b.failures).toBe(0);
    expect(b.failed()).toBe(500);
  });

  it("takes the server's Retry-After for the failure that carried it, and counts it like any other", () => {
    const b = new Backoff(policy, low);
    expect(b.failed(20_000)).toBe(20_000);
    expect(b.failed()).toBe(1000); // second failure: ceiling 2000, random 0
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('reads seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
  });
  it('reads an HTTP date, relative to now', () => {
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
  });
  it('a date that starts or ends with digits is a date, not a number of seconds', () => {
    // RFC 5322 lets the weekday out; asctime (which HTTP recipients must accept) ends with the year.
    expect(parseRetryAfter('01 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    const asctimeNow = Date.parse('Tue Dec  1 12:00:00 2026');
    expect(parseRetryAfter('Tue Dec  1 12:00:30 2026', asctimeNow)).toBe(30_000);
  });
  it('ignores what is absent, past, zero or not a time', () => {
    for (const header of [null, undefined, '', '  ', '0', '-3', 'soon', 'Tue, 01 Dec 2026 11:59:00 GMT']) expect(parseRetryAfter(header, now), String(header)).toBeUndefined();
  });
  it('clamps an absurd wait to MAX_SERVER_WAIT_MS', () => {
    expect(parseRetryAfter('999999999', now)).toBe(MAX_SERVER_WAIT_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(MAX_SERVER_WAIT_MS);
  });
});
