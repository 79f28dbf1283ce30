import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { defaultSettings } from '../../src/shared/settings';
import { tempDir, type TempDir } from '../support/temp-db';

let temp: TempDir;
afterEach(() => temp?.cleanup());

describe('browser-mode settings and secrets', () => {
  it('starts from defaults, persists updates, and survives a corrupt file', () => {
    temp = tempDir();
    const file = `${temp.dir}/settings.json`;
    const store = new JsonFileSettingsStore(file);
    expect(store.get()).toEqual(defaultSettings());
    store.update({ language: 'id' });
    expect(new JsonFileSettingsStore(file).get().language).toBe('id');
    writeFileSync(file, '{ not json');
    const log: string[] = [];
    expect(new JsonFileSettingsStore(file, (m) => log.push(m)).get()).toEqual(defaultSettings());
    expect(log[0]).toMatch(/unreadable/);
  });

  it('keeps secrets in a 0600 file and says they are not encrypted', () => {
    temp = tempDir();
    const file = `${temp.dir}/secrets.json`;
    const secrets = new PlainFileSecretStore(file);
    expect(secrets.encrypted).toBe(false);
    secrets.set('account:1:jwt', 'eyJhbGciOi');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new PlainFileSecretStore(file).get('account:1:jwt')).toBe('eyJhbGciOi');
    secrets.delete('account:1:jwt');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });
});
