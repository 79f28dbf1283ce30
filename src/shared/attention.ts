// What the core tells the renderer and the shell about getting the owner's attention: the one
// unread number (tray, dock badge, window title), notifications to show, sounds to play, and
// the log of every notification decision.
import { z } from 'zod';
import { LocalId, Timestamp } from './domain';

export const BadgeLook = z.enum(['ok', 'disconnected', 'sign-in']);
export type BadgeLook = z.infer<typeof BadgeLook>;

export const BadgeState = z.object({
  /** Unread visitor messages over every account (muted conversations left out) plus unread notification feed entries. */
  unread: z.number().int().nonnegative(),
  look: BadgeLook,
});
export type BadgeState = z.infer<typeof BadgeState>;

/** A notification for the renderer to show (browser mode; the app shows native ones itself). */
export const ShownNotification = z.object({
  /** Same key = replaces the earlier notification (coalescing). */
  key: z.string().max(100),
  conversationId: LocalId.nullable(),
  accountId: LocalId.nullable(),
  /** A notification feed entry: a click opens the Notifications view with it selected. */
  feedEntryId: LocalId.nullable().optional(),
  title: z.string().max(500),
  body: z.string().max(1000),
  silent: z.boolean(),
});
export type ShownNotification = z.infer<typeof ShownNotification>;

export const NotificationDecision = z.object({
  id: z.number().int().optional(),
  at: Timestamp,
  kind: z.string().max(40),
  conversationId: LocalId.nullable(),
  shown: z.boolean(),
  sound: z.boolean(),
  /** 'shown', 'updated', or why it was suppressed ('muted', 'quiet-hours', ...). */
  reason: z.string().max(40),
  /** Shown, but without sound: which rule kept it quiet. */
  silencedBy: z.string().max(40).optional(),
  detail: z.string().max(500).optional(),
  /** A coalesced entry (repeated sounds): how many times, and when last. */
  count: z.number().int().optional(),
  lastAt: Timestamp.optional(),
});
export type NotificationDecision = z.infer<typeof NotificationDecision>;
