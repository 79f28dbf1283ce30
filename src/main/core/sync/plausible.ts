// Times from a site are its word, not the truth: a date in the year 275760 pinned a conversation
// to the top of the inbox for good. Whatever lies further ahead than any clock could be off is
// taken as "now" (when it reached us), from REST and realtime alike.
import type { RemoteConversation, RemoteMessage } from '../mirror/types';

/** How far ahead of this computer a site's clock may plausibly be. */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

export const plausibleTime = (t: number, now: number): number => (Number.isFinite(t) && t >= 0 && t <= now + MAX_CLOCK_SKEW_MS ? t : now);

export const plausibleMessage = (m: RemoteMessage, now: number): RemoteMessage => {
  const createdAt = plausibleTime(m.createdAt, now);
  const readAt = m.readAt == null ? m.readAt : plausibleTime(m.readAt, now);
  return createdAt === m.createdAt && readAt === m.readAt ? m : { ...m, createdAt, readAt };
};

export const plausibleConversation = (c: RemoteConversation, now: number): RemoteConversation => {
  const createdAt = plausibleTime(c.createdAt, now);
  const lastMessageAt = c.lastMessageAt == null ? c.lastMessageAt : plausibleTime(c.lastMessageAt, now);
  return createdAt === c.createdAt && lastMessageAt === c.lastMessageAt ? c : { ...c, createdAt, lastMessageAt };
};
