// Handing one notification to the OS and playing its sound, each failure caught separately:
// the sound plays even when the OS refuses the banner, so the owner still hears something.
import { soundVolume } from './policy';
import type { DecisionInput, NotificationPrefs, Notifier, ShownNotification, SilenceReason, SoundPlayer } from './types';

export interface Delivery {
  shown: boolean;
  sound: boolean;
  failure?: string;
}

export function deliver(notifier: Notifier, player: SoundPlayer, notification: Omit<ShownNotification, 'silent'>, audible: boolean, prefs: NotificationPrefs): Delivery {
  const failures: string[] = [];
  let shown = true;
  try {
    notifier.show({ ...notification, silent: !audible });
  } catch (error) {
    shown = false;
    failures.push(`notification failed: ${String(error)}`);
  }
  let sound = false;
  if (audible) {
    try {
      player.play(prefs.sound, soundVolume(prefs));
      sound = true;
    } catch (error) {
      failures.push(`sound failed: ${String(error)}`);
    }
  }
  return failures.length > 0 ? { shown, sound, failure: failures.join('; ') } : { shown, sound };
}

/** The decision fields for what actually happened, which may be less than the policy allowed. */
export function delivered(
  delivery: Delivery,
  reason: 'shown' | 'updated',
  silencedBy: SilenceReason | undefined,
  detail?: string,
): Pick<DecisionInput, 'shown' | 'sound' | 'reason' | 'silencedBy' | 'detail'> {
  const notes = [detail, delivery.failure].filter((n) => n !== undefined && n !== '').join('; ');
  return {
    shown: delivery.shown,
    sound: delivery.sound,
    reason: delivery.shown ? reason : 'failed',
    // Shown without sound: the rule that silenced it, or the player's failure.
    ...(delivery.shown && !delivery.sound ? { silencedBy: silencedBy ?? 'failed' } : {}),
    ...(notes ? { detail: notes } : {}),
  };
}
