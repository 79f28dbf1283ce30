// The core host's SecretStore. Only the shell can reach the OS keyring (safeStorage is a
// main-process API), so the shell decrypts the secrets once and hands them over at start; each
// change goes back to the shell, which encrypts and writes it. Reads stay synchronous, as the
// core expects of every SecretStore.
import type { SecretStore } from '../core/settings/settings-store';
import type { HostMessage } from './protocol';

export class MirroredSecretStore implements SecretStore {
  private values: Map<string, string>;

  constructor(
    initial: { encrypted: boolean; values: Record<string, string> },
    private readonly post: (message: HostMessage) => void,
  ) {
    this.encrypted = initial.encrypted;
    this.values = new Map(Object.entries(initial.values));
  }

  readonly encrypted: boolean;

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  set(key: string, value: string): void {
    this.values.set(key, value);
    this.post({ type: 'secret.set', key, value });
  }

  delete(key: string): void {
    if (!this.values.delete(key)) return;
    this.post({ type: 'secret.delete', key });
  }
}
