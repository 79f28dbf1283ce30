// Settings and secrets sit behind interfaces: electron-store and safeStorage in the app
// (src/main/shell), plain files in browser mode (below).
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Settings, type SettingsPatch, defaultSettings, mergeSettings } from '../../../shared/settings';

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
}

export interface SecretStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** False where secrets are kept in plain text (browser mode, or an OS without a keyring). */
  readonly encrypted: boolean;
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file. */
function writeFileAtomic(file: string, data: string, mode?: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data, mode === undefined ? undefined : { mode });
  renameSync(temp, file);
  if (mode !== undefined) chmodSync(file, mode);
}

function readJson(file: string, onBad: (error: unknown) => void): unknown {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    onBad(error);
    return {};
  }
}

export class JsonFileSettingsStore implements SettingsStore {
  private current: Settings;

  constructor(
    private readonly file: string,
    log: (message: string) => void = () => {},
  ) {
    const parsed = Settings.safeParse(readJson(file, (e) => log(`settings: unreadable ${file}, using defaults (${String(e)})`)));
    if (!parsed.success) log(`settings: invalid values in ${file}, using defaults`);
    this.current = parsed.success ? parsed.data : defaultSettings();
  }

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsPatch): Settings {
    this.current = mergeSettings(this.current, patch);
    writeFileAtomic(this.file, JSON.stringify(this.current, null, 2), 0o600);
    return this.current;
  }
}

/** Browser mode only: secrets in a 0600 file, NOT encrypted; the UI says so. */
export class PlainFileSecretStore implements SecretStore {
  readonly encrypted = false;
  private values: Record<string, string>;

  constructor(
    private readonly file: string,
    log: (message: string) => void = () => {},
  ) {
    const raw = readJson(file, (e) => log(`secrets: unreadable ${file} (${String(e)})`));
    this.values = raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) : {};
  }

  get(key: string): string | undefined {
    return this.values[key];
  }

  set(key: string, value: string): void {
    this.values = { ...this.values, [key]: value };
    writeFileAtomic(this.file, JSON.stringify(this.values), 0o600);
  }

  delete(key: string): void {
    const { [key]: _removed, ...rest } = this.values;
    this.values = rest;
    writeFileAtomic(this.file, JSON.stringify(this.values), 0o600);
  }
}
