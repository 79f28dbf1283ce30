// The settings schema shared by the Electron store and browser mode's JSON file.
import { z } from 'zod';
import { Availability } from './domain';
import { defaultNotificationSound, notificationSounds } from './sounds';

export const Theme = z.enum(['system', 'light', 'dark']);
export const Language = z.enum(['system', 'en', 'id']);

/** 'HH:MM', 24-hour local time. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour).');

const NotificationSoundSetting = z.enum([...notificationSounds, 'none']);

const QuietHours = z.object({
  enabled: z.boolean().default(false),
  start: ClockTime.default('22:00'),
  end: ClockTime.default('07:00'),
});

const NotificationSettings = z.object({
  enabled: z.boolean().default(true),
  /** A sound id from src/shared/sounds.ts, or 'none'; a sound that no longer exists falls back to the default. */
  sound: NotificationSoundSetting.default(defaultNotificationSound).catch(defaultNotificationSound),
  /** The sound when an agent finishes, fails or gets stuck (agent kinds); 'none' = silent. */
  agentSound: NotificationSoundSetting.default('bell').catch('bell'),
  volume: z.number().min(0).max(1).default(0.8),
  /** Repeat the sound every N seconds while a visitor waits unanswered; 0 = never. */
  repeatSeconds: z.number().int().min(0).max(3600).default(0),
  quietHours: QuietHours.prefault({}),
});

export const Settings = z.object({
  theme: Theme.default('system'),
  language: Language.default('system'),
  availability: Availability.default('online'),
  /** The owner's own do-not-disturb (tray menu): no banners, no sounds; the badge still counts. */
  doNotDisturb: z.boolean().default(false),
  closeToTray: z.boolean().default(true),
  startAtLogin: z.boolean().default(false),
  notifications: NotificationSettings.prefault({}),
  /** Widths in percent of the panes area: conversation list, visitor details. */
  paneSizes: z.array(z.number().min(0).max(100)).max(4).default([30, 20]),
  /** One-time hints already shown. */
  hints: z.object({ closeToTray: z.boolean().default(false) }).prefault({}),
});
export type Settings = z.infer<typeof Settings>;

/**
 * A partial update: every key optional at every level, merged into the current settings by
 * mergeSettings. Written out rather than derived with .partial() because the defaults above
 * would otherwise fill the missing nested keys and overwrite what the user chose.
 */
export const SettingsPatch = z
  .object({
    theme: Theme.optional(),
    language: Language.optional(),
    availability: Availability.optional(),
    doNotDisturb: z.boolean().optional(),
    closeToTray: z.boolean().optional(),
    startAtLogin: z.boolean().optional(),
    notifications: z
      .object({
        enabled: z.boolean().optional(),
        sound: NotificationSoundSetting.optional(),
        agentSound: NotificationSoundSetting.optional(),
        volume: NotificationSettings.shape.volume.unwrap().optional(),
        repeatSeconds: NotificationSettings.shape.repeatSeconds.unwrap().optional(),
        quietHours: z.object({ enabled: z.boolean().optional(), start: ClockTime.optional(), end: ClockTime.optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    paneSizes: Settings.shape.paneSizes.unwrap().optional(),
    hints: z.object({ closeToTray: z.boolean().optional() }).strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const defaultSettings = (): Settings => Settings.parse({});

/** Applies a patch, nested objects merged key by key, and checks the result. */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  const n = patch.notifications ?? {};
  return Settings.parse({
    ...current,
    ...patch,
    notifications: {
      ...current.notifications,
      ...n,
      quietHours: { ...current.notifications.quietHours, ...(n.quietHours ?? {}) },
    },
    hints: { ...current.hints, ...(patch.hints ?? {}) },
  });
}
