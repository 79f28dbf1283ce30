// Every notification rule, in one pure function. The precedence is the order of the checks
// below and is documented (with the reasons) in README.md; the scenario table in
// tests/unit/notification-policy.test.ts pins it down.
import type { ConversationStatus } from '../../../shared/domain';
import type { DecisionKind, DecisionReason, NotificationPrefs, SilenceReason } from './types';

export interface PolicyEvent {
  kind: DecisionKind;
  /** The conversation concerned; null for the test notification and the summary. */
  conversation: { id: number; muted: boolean; status: ConversationStatus } | null;
}

export interface PolicyContext {
  prefs: NotificationPrefs;
  /** Inside the quiet-hours window right now. */
  quietHours: boolean;
  /** The OS's do-not-disturb state; null = this OS cannot tell. */
  osDnd: boolean | null;
  /** The conversation open in a focused window, else null. */
  focusedConversationId: number | null;
}

export interface PolicyOutcome {
  show: boolean;
  sound: boolean;
  reason: DecisionReason;
  /** Why a notification that is shown comes without sound. */
  silencedBy?: SilenceReason;
}

const suppressed = (reason: DecisionReason): PolicyOutcome => ({ show: false, sound: false, reason });

export function isSoundOff(prefs: NotificationPrefs): boolean {
  // `!(v > 0)` also catches NaN from a damaged settings file.
  return prefs.sound === 'none' || prefs.sound.trim() === '' || !(prefs.volume > 0);
}

/** The volume to play at: within 0..1 whatever the settings file says. */
export function soundVolume(prefs: NotificationPrefs): number {
  return Math.min(1, Math.max(0, prefs.volume));
}

export function decide(event: PolicyEvent, context: PolicyContext): PolicyOutcome {
  const { prefs } = context;
  const conversation = event.conversation;

  if (!prefs.enabled) return suppressed('disabled');
  if (prefs.availability === 'offline') return suppressed('offline');

  if (conversation) {
    if (conversation.muted) return suppressed('muted');
    // The owner is looking at it: a banner or a sound would only interrupt.
    if (context.focusedConversationId === conversation.id) return suppressed('focused');
    // A visitor writing into a resolved or closed conversation still notifies (that message
    // must not be missed). Only the nagging repeat sound skips conversations the owner has
    // finished with, even if the last word was the visitor's ("thanks, bye").
    if (event.kind === 'repeat-sound' && conversation.status !== 'active') return suppressed('not-active');
  }

  // Held, not dropped: the center counts these for the summary shown when the hold ends.
  if (context.quietHours) return suppressed('quiet-hours');
  if (prefs.doNotDisturb) return suppressed('dnd');

  if (event.kind === 'repeat-sound') {
    if (context.osDnd === true) return suppressed('os-dnd');
    if (prefs.availability === 'away') return suppressed('away');
    if (isSoundOff(prefs)) return suppressed('sound-off');
    return { show: false, sound: true, reason: 'played' };
  }

  // Under the OS's do-not-disturb the banner is still handed to the OS, which holds it in its
  // notification centre without a banner (that is how macOS Focus, Windows and GNOME implement
  // it), but our own sound, which the OS cannot silence, is not played.
  const silencedBy: SilenceReason | undefined =
    context.osDnd === true
      ? 'os-dnd'
      : prefs.availability === 'away'
        ? 'away'
        : event.kind === 'quiet-hours-summary'
          ? 'summary'
          : isSoundOff(prefs)
            ? 'sound-off'
            : undefined;
  return silencedBy ? { show: true, sound: false, reason: 'shown', silencedBy } : { show: true, sound: true, reason: 'shown' };
}
