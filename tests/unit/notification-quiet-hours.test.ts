// Quiet hours, texts and previews: the pure helpers the notification center builds on.
import { describe, expect, it } from 'vitest';
import { previewText } from '../../src/main/core/notifications/preview';
import { isQuietAt, msUntilQuietEnds, parseClockTime, systemLocalMinutes } from '../../src/main/core/notifications/quiet-hours';
import { textsFor } from '../../src/main/core/notifications/texts';

const at = (hhmm: string): number => parseClockTime(hhmm) ?? Number.NaN;
const night = { enabled: true, start: '22:00', end: '07:00' };
const office = { enabled: true, start: '09:00', end: '17:30' };

describe('quiet hours', () => {
  it.each([
    ['22:00', true],
    ['23:59', true],
    ['00:00', true],
    ['06:59', true],
    ['07:00', false],
    ['12:00', false],
    ['21:59', false],
  ])('22:00–07:00 wraps midnight: %s quiet = %s', (time, quiet) => {
    expect(isQuietAt(night, at(time))).toBe(quiet);
  });

  it.each([
    ['08:59', false],
    ['09:00', true],
    ['17:29', true],
    ['17:30', false],
  ])('09:00–17:30 inside one day: %s quiet = %s', (time, quiet) => {
    expect(isQuietAt(office, at(time))).toBe(quiet);
  });

  it('is off when disabled, when start equals end, and when a time is malformed', () => {
    expect(isQuietAt({ ...night, enabled: false }, at('23:00'))).toBe(false);
    expect(isQuietAt({ enabled: true, start: '08:00', end: '08:00' }, at('08:00'))).toBe(false);
    expect(isQuietAt({ enabled: true, start: '08:00', end: '08:00' }, at('20:00'))).toBe(false);
    expect(isQuietAt({ enabled: true, start: '25:00', end: '07:00' }, at('23:00'))).toBe(false);
    expect(isQuietAt({ enabled: true, start: 'late', end: '07:00' }, at('23:00'))).toBe(false);
  });

  it('parses HH:MM and refuses anything else', () => {
    expect(parseClockTime('07:05')).toBe(425);
    expect(parseClockTime('7:05')).toBe(425);
    expect(parseClockTime(' 23:59 ')).toBe(1439);
    expect(parseClockTime('24:00')).toBeNull();
    expect(parseClockTime('12:60')).toBeNull();
    expect(parseClockTime('1200')).toBeNull();
  });

  it('says how long until the window ends, across midnight, and null outside it', () => {
    expect(msUntilQuietEnds(night, at('23:00'))).toBe(8 * 3_600_000);
    expect(msUntilQuietEnds(night, at('06:30'))).toBe(30 * 60_000);
    expect(msUntilQuietEnds(night, at('22:00'))).toBe(9 * 3_600_000);
    expect(msUntilQuietEnds(night, at('06:59') + 0.5)).toBe(30_000);
    expect(msUntilQuietEnds(office, at('17:00'))).toBe(30 * 60_000);
    expect(msUntilQuietEnds(night, at('07:00'))).toBeNull();
    expect(msUntilQuietEnds({ ...night, enabled: false }, at('23:00'))).toBeNull();
  });

  it('accepts minutes outside 0..1440 (an offset pushed past midnight) by wrapping them', () => {
    expect(isQuietAt(night, at('23:00') + 1440)).toBe(true);
    expect(isQuietAt(night, -60)).toBe(true); // 23:00 the day before
    expect(isQuietAt(night, -60 * 14)).toBe(false); // 10:00
  });

  it('the same instant is quiet in one time zone and not in another (fixed, DST-free offsets)', () => {
    const utcMinutes = (ms: number, offsetMinutes: number): number => ms / 60_000 + offsetMinutes;
    const instant = Date.UTC(2030, 0, 15, 15, 30); // 15:30 UTC
    expect(isQuietAt(night, utcMinutes(instant, 7 * 60))).toBe(true); // 22:30 in Jakarta
    expect(isQuietAt(night, utcMinutes(instant, 0))).toBe(false); // 15:30 in London
    expect(isQuietAt(night, utcMinutes(instant, -9 * 60))).toBe(true); // 06:30 in Anchorage
    expect(isQuietAt(night, utcMinutes(instant, -8 * 60))).toBe(false); // 07:30 in Los Angeles
    expect(msUntilQuietEnds(night, utcMinutes(instant, 7 * 60))).toBe(8.5 * 3_600_000);
  });

  it('reads the system local time of day', () => {
    const d = new Date(2030, 5, 1, 13, 45, 30);
    expect(systemLocalMinutes(d.getTime())).toBeCloseTo(13 * 60 + 45.5, 6);
  });
});

describe('notification texts', () => {
  it('counts in English with plurals and in Indonesian without', () => {
    const en = textsFor('en');
    const id = textsFor('id');
    expect(en.newMessages(1)).toBe('1 new message');
    expect(en.newMessages(3)).toBe('3 new messages');
    expect(id.newMessages(3)).toBe('3 pesan baru');
    expect(en.summaryBody(5, 3)).toBe('5 messages from 3 visitors');
    expect(en.summaryBody(1, 1)).toBe('1 message from 1 visitor');
    expect(id.summaryBody(5, 3)).toBe('5 pesan dari 3 pengunjung');
    expect(en.summaryTitle('quiet-hours')).toBe('While quiet hours were on');
    expect(id.summaryTitle('quiet-hours')).toBe('Selama jam tenang aktif');
    expect(en.testTitle).toBe('Notifications work');
    expect(id.testTitle).toBe('Notifikasi berfungsi');
    expect(en.visitorFallback).toBe('Anonymous');
    expect(id.visitorFallback).toBe('Anonim');
  });
});

describe('preview text', () => {
  it('collapses whitespace, drops control characters and keeps markup as typed', () => {
    expect(previewText('  Hello\n\n  there\t<b>you</b>\u0000  ')).toBe('Hello there <b>you</b>');
  });

  it('cuts long text to 140 characters with an ellipsis, never inside an emoji', () => {
    const long = 'a'.repeat(200);
    const cut = previewText(long);
    expect(Array.from(cut)).toHaveLength(140);
    expect(cut.endsWith('…')).toBe(true);
    const emoji = '😀'.repeat(200);
    const emojiCut = previewText(emoji);
    expect(Array.from(emojiCut)).toHaveLength(140);
    expect(emojiCut).toBe(`${'😀'.repeat(139)}…`);
    expect(previewText('a'.repeat(140))).toBe('a'.repeat(140));
  });
});
