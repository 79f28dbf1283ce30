// The settings schema shared by the Electron store and browser mode's JSON file.
import { z } from 'zod';
import { Availability } from './domain';

export const Theme = z.enum(['system', 'light', 'dark']);
export const Language = z.enum(['system', 'en', 'id']);

export const Settings = z.object({
  theme: Theme.default('system'),
  language: Language.default('system'),
  availability: Availability.default('online'),
  closeToTray: z.boolean().default(true),
  startAtLogin: z.boolean().default(false),
  notifications: z
    .object({
      enabled: z.boolean().default(true),
      sound: z.string().default('chime'),
      volume: z.number().min(0).max(1).default(0.8),
    })
    .prefault({}),
  /** Widths in percent of the panes area: conversation list, visitor details. */
  paneSizes: z.array(z.number().min(0).max(100)).max(4).default([30, 20]),
});
export type Settings = z.infer<typeof Settings>;

/** A partial update: every key optional, nested objects merged by the store. */
export const SettingsPatch = Settings.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const defaultSettings = (): Settings => Settings.parse({});
