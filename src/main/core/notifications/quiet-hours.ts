// Quiet hours as pure functions of "minutes since local midnight", so the clock and the time
// zone are inputs: tests pass fixed offsets, the app passes the system's local time.
import type { QuietHours } from './types';

const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;

/** 'HH:MM' (or 'H:MM') to minutes since midnight; null when malformed. */
export function parseClockTime(value: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

/**
 * The window in minutes, or null when it is off. start == end is off rather than "all day":
 * an empty-looking window that silently swallowed every notification would be the worst
 * reading of an ambiguous setting; all-day silence is what do-not-disturb is for. Malformed
 * times are off too, for the same reason.
 */
function span(window: QuietHours): { start: number; end: number } | null {
  if (!window.enabled) return null;
  const start = parseClockTime(window.start);
  const end = parseClockTime(window.end);
  if (start === null || end === null || start === end) return null;
  return { start, end };
}

function wrapDay(minutes: number): number {
  return ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
}

/** Inside [start, end): the start minute is quiet, the end minute is not. */
export function isQuietAt(window: QuietHours, localMinutes: number): boolean {
  const s = span(window);
  if (!s) return false;
  const m = wrapDay(localMinutes);
  return s.start < s.end ? m >= s.start && m < s.end : m >= s.start || m < s.end;
}

/** Milliseconds until the window ends, when inside it; null otherwise. */
export function msUntilQuietEnds(window: QuietHours, localMinutes: number): number | null {
  const s = span(window);
  if (!s || !isQuietAt(window, localMinutes)) return null;
  return wrapDay(s.end - wrapDay(localMinutes)) * MS_PER_MINUTE;
}

/** The system's local time of day in (fractional) minutes; DST follows the OS. */
export function systemLocalMinutes(at: number): number {
  const d = new Date(at);
  return d.getHours() * 60 + d.getMinutes() + d.getSeconds() / 60 + d.getMilliseconds() / MS_PER_MINUTE;
}
