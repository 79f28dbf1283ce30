// Settings in electron-store (a JSON file in userData), validated and defaulted by the shared
// zod schema rather than electron-store's own JSON-schema support.
import Store from 'electron-store';
import { Settings, defaultSettings, mergeSettings, type SettingsPatch } from '../../shared/settings';
import type { SettingsStore } from '../core/settings/settings-store';

/** The whole-object accessor electron-store (conf) offers; a plain object in tests. */
export interface BackingStore {
  store: Record<string, unknown>;
}

export class ElectronSettingsStore implements SettingsStore {
  private current: Settings;

  constructor(
    private readonly backing: BackingStore,
    log: (message: string) => void = () => {},
  ) {
    const parsed = Settings.safeParse(backing.store);
    if (!parsed.success) log('settings: invalid values in the settings file, using defaults');
    this.current = parsed.success ? parsed.data : defaultSettings();
  }

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsPatch): Settings {
    const next = mergeSettings(this.current, patch);
    this.backing.store = next;
    this.current = next;
    return next;
  }
}

/** settings.json in app.getPath('userData'); a corrupt file is reset rather than crashing startup. */
export function openElectronSettingsStore(log: (message: string) => void): ElectronSettingsStore {
  return new ElectronSettingsStore(new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true }), log);
}
