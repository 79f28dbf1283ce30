// The notification sounds the app offers. Each id names resources/sounds/<id>.wav, made by
// scripts/make-sounds.mjs; tests check that every id here has its file. Kept free of Node and
// the DOM so settings, the renderer's picker and the core all read the same list.

export const notificationSounds = ['chime', 'bell', 'pop', 'knock'] as const;

export type NotificationSound = (typeof notificationSounds)[number];

export const defaultNotificationSound: NotificationSound = 'chime';

export function isNotificationSound(value: unknown): value is NotificationSound {
  return typeof value === 'string' && (notificationSounds as readonly string[]).includes(value);
}
