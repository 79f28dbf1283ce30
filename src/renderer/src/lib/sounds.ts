// The notification sounds made by the project (resources/sounds, see scripts/make-sounds.mjs),
// bundled with the renderer so they play offline and under the strict CSP (media-src 'self').
import bell from '../../../../resources/sounds/bell.wav?url';
import chime from '../../../../resources/sounds/chime.wav?url';
import knock from '../../../../resources/sounds/knock.wav?url';
import pop from '../../../../resources/sounds/pop.wav?url';
import { notificationSounds, type NotificationSound } from '../../../shared/sounds';

const urls: Record<NotificationSound, string> = { chime, bell, pop, knock };

export const soundIds = notificationSounds;

/** Plays a sound; 'none', an unknown id or volume 0 play nothing. */
export function playSound(sound: string, volume: number): void {
  const url = (urls as Record<string, string | undefined>)[sound];
  if (!url || volume <= 0) return;
  const audio = new Audio(url);
  audio.volume = Math.min(1, Math.max(0, volume));
  audio.dataset.sound = sound;
  // A page that never had a user gesture may refuse to play (browser mode): nothing to do but log.
  audio.play().catch((error: unknown) => console.warn(`sound ${sound} did not play: ${String(error)}`));
}
