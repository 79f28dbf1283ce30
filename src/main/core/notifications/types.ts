// The notification module's ports and records. Everything Electron- or OS-specific reaches the
// core through these interfaces; the shell (or browser mode) implements them.
import type { ConversationStatus } from '../../../shared/domain';
import type { Timers } from '../sync/timers';

export type { Timers };

export interface QuietHours {
  enabled: boolean;
  /** 'HH:MM' local time. A window may wrap midnight (22:00–07:00); start == end means off. */
  start: string;
  end: string;
}

export interface NotificationPrefs {
  /** Master switch. */
  enabled: boolean;
  /** Sound id, e.g. 'chime' | 'bell' | 'pop'; 'none' = silent. */
  sound: string;
  /** 0..1; 0 is treated like sound 'none'. */
  volume: number;
  /** 0 = off; else repeat the sound every N s (at least 5) while a visitor waits unanswered. */
  repeatSeconds: number;
  quietHours: QuietHours;
  /** The user's own do-not-disturb toggle (tray menu). */
  doNotDisturb: boolean;
  availability: 'online' | 'away' | 'offline';
  /** Language of the texts the center writes (resolved from settings/OS by the caller). */
  language: 'en' | 'id';
}

export interface ShownNotification {
  /** Showing a notification with the key of one still on screen replaces it. */
  key: string;
  /** What a click opens: this conversation, or the inbox when null. */
  conversationId: number | null;
  accountId: number | null;
  /** A notification feed entry: a click opens the Notifications view with it selected instead. */
  feedEntryId?: number | null;
  /** Plain text. Escaping for the platform (Linux notification markup) is the shell's job. */
  title: string;
  body: string;
  /**
   * True when no sound accompanies this notification. When false, the center is playing the
   * sound itself through the SoundPlayer at the same moment, so the shell must not let the OS
   * add its own sound either way (Electron: always `silent: true`), or it would play twice.
   */
  silent: boolean;
}

export interface Notifier {
  /** Shows, or replaces the notification with the same key. May throw; the center logs it. */
  show(n: ShownNotification): void;
  close(key: string): void;
}

export interface SoundPlayer {
  play(sound: string, volume: number): void;
}

export interface OsDndProbe {
  /** null = this OS cannot tell. */
  isDoNotDisturb(): boolean | null;
}

export interface FocusProbe {
  /** The conversation open in a FOCUSED window, else null. */
  focusedConversationId(): number | null;
}

export interface ConversationFact {
  accountId: number;
  visitorName: string | null;
  muted: boolean;
  status: ConversationStatus;
  /**
   * The mirror's unread count (visitor messages the owner has not read), including the burst
   * just committed. When given, "N new messages" uses it so the text agrees with the badge and
   * survives restarts; when absent the center counts the messages it was told about.
   */
  unreadCount?: number;
}

export interface ConversationFacts {
  get(conversationId: number): ConversationFact | null;
  /** Conversations whose newest message is from the visitor and unanswered, with when that wait began. */
  waiting(): Array<{ conversationId: number; since: number }>;
}

export const decisionKinds = ['new-conversation', 'visitor-message', 'quiet-hours-summary', 'repeat-sound', 'test', 'feed-entry'] as const;
export type DecisionKind = (typeof decisionKinds)[number];

/**
 * Why a decision came out the way it did. 'shown' / 'updated' / 'played' are the positive
 * outcomes; 'failed' means the OS refused (the notifier or player threw); the rest name the
 * rule that suppressed it. Some also appear as `silencedBy` on a notification shown silently.
 */
export const decisionReasons = [
  'shown',
  'updated',
  'played',
  'disabled',
  'offline',
  'muted',
  'focused',
  'not-active',
  'quiet-hours',
  'dnd',
  'os-dnd',
  'away',
  'sound-off',
  'coalesced',
  'summary',
  'failed',
] as const;
export type DecisionReason = (typeof decisionReasons)[number];

/** Why a notification that WAS shown came without a sound. */
export const silenceReasons = ['os-dnd', 'away', 'sound-off', 'coalesced', 'summary', 'failed'] as const;
export type SilenceReason = (typeof silenceReasons)[number];

export interface Decision {
  /** Assigned by the DecisionLog; unique within one log. */
  id: number;
  at: number;
  kind: DecisionKind;
  conversationId: number | null;
  shown: boolean;
  sound: boolean;
  reason: DecisionReason;
  /** Set when shown without sound: which rule kept it quiet. */
  silencedBy?: SilenceReason;
  detail?: string;
  /** A coalesced entry (repeat sounds): how many times it happened, and when last. */
  count?: number;
  lastAt?: number;
}

export type DecisionInput = Omit<Decision, 'id'>;
