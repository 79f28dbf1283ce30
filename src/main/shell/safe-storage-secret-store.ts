// Account secrets encrypted with Electron's safeStorage (OS keychain / DPAPI / libsecret), kept
// as base64 ciphertext in a 0600 JSON file in userData. Where the OS offers no real keyring
// (Linux 'basic_text', or encryption unavailable) `encrypted` is false and the UI says so.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretStore } from '../core/settings/settings-store';

/** The part of Electron's `safeStorage` this store uses (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

// Values on disk: "enc:<base64 of safeStorage.encryptString>" or, only where encryption is
// unavailable, "plain:<base64 of utf-8>".
const ENC = 'enc:';
const PLAIN = 'plain:';

export class SafeStorageSecretStore implements SecretStore {
  readonly encrypted: boolean;
  private readonly canEncrypt: boolean;
  private values: Record<string, string>;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly file: string,
    private readonly log: (message: string) => void = () => {},
    platform: NodeJS.Platform = process.platform,
  ) {
    this.canEncrypt = safeStorage.isEncryptionAvailable();
    const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
    this.encrypted = this.canEncrypt && backend !== 'basic_text';
    if (!this.canEncrypt) {
      log('warning: OS encryption is unavailable; account secrets are stored unencrypted in ' + file);
    } else if (!this.encrypted) {
      log('warning: no OS keyring found (safeStorage backend "basic_text"); account secrets are only obfuscated, not encrypted.');
    }
    this.values = this.read();
  }

  get(key: string): string | undefined {
    const stored = this.values[key];
    if (stored === undefined) return undefined;
    try {
      if (stored.startsWith(ENC)) return this.safeStorage.decryptString(Buffer.from(stored.slice(ENC.length), 'base64'));
      if (stored.startsWith(PLAIN)) return Buffer.from(stored.slice(PLAIN.length), 'base64').toString('utf8');
    } catch (error) {
      this.log(`secrets: cannot decrypt "${key}" (the OS keyring may have changed): ${String(error)}`);
      return undefined;
    }
    this.log(`secrets: unrecognised value for "${key}"`);
    return undefined;
  }

  /** Every secret, decrypted, for the core host (it keeps them in memory, as the core always did). */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of Object.keys(this.values)) {
      const value = this.get(key);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  set(key: string, value: string): void {
    const stored = this.canEncrypt
      ? ENC + this.safeStorage.encryptString(value).toString('base64')
      : PLAIN + Buffer.from(value, 'utf8').toString('base64');
    this.write({ ...this.values, [key]: stored });
  }

  delete(key: string): void {
    if (!Object.hasOwn(this.values, key)) return;
    const { [key]: _removed, ...rest } = this.values;
    this.write(rest);
  }

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      const raw: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not an object');
      return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch (error) {
      this.log(`secrets: unreadable ${this.file}, starting empty (${String(error)})`);
      return {};
    }
  }

  /** Temp file + rename, so a crash never leaves half a file; 0600 on every write. */
  private write(values: Record<string, string>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(values), { mode: 0o600 });
    renameSync(temp, this.file);
    chmodSync(this.file, 0o600);
    this.values = values;
  }
}
