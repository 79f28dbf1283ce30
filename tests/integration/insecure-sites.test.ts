// Plain http:// sites (issue 16 item 20): the password and every message would cross the network
// in clear. Off this computer, connecting is refused with code 'insecure' before any request is
// made, until the user confirms (allowInsecure); loopback http (a backend on this machine) is fine.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { assertTransportAllowed } from '../../src/main/core/connectors/site-url';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { migrationsDir, tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function core(): { core: Core; requests: string[] } {
  const t = tempDir('switchboard-insecure-');
  const requests: string[] = [];
  const c = createCore({
    dataDir: t.dir,
    migrationsDir,
    settings: new JsonFileSettingsStore(join(t.dir, 'settings.json')),
    secrets: new PlainFileSecretStore(join(t.dir, 'secrets.json')),
    mode: 'web',
    version: 'test',
    fetch: async (input) => {
      requests.push(String(input));
      throw new TypeError('fetch failed (no network in this test)');
    },
  });
  cleanups.push(() => t.cleanup());
  cleanups.push(() => c.close());
  return { core: c, requests };
}

describe('plain http:// sites', () => {
  it('off this computer: refused with code insecure before anything is sent, for every kind', async () => {
    const { core: c, requests } = core();
    for (const input of [
      { kind: 'portfolio', siteUrl: 'http://chat.example.com', email: 'a@example.com', password: 'secret' },
      { kind: 'django-chat', siteUrl: 'http://mentor.example.com', login: 'teacher', password: 'secret' },
      { kind: 'jwt-ws', siteUrl: 'http://rooms.example.com', email: 'a@example.com', password: 'secret' },
      { kind: 'openmanus', siteUrl: 'http://agents.example.com/api', token: 'eyJ.x.y' },
    ]) {
      const r = await c.dispatch('accounts.connect', input as never);
      expect(r, input.kind).toMatchObject({ ok: false, error: { code: 'insecure', message: expect.stringContaining('not encrypted') } });
    }
    expect(requests).toEqual([]);
    expect(c.mirror.accounts.list()).toEqual([]);
  });

  it('confirmed: the sign-in goes ahead (and here fails only because there is no network)', async () => {
    const { core: c, requests } = core();
    const r = await c.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: 'http://chat.example.com', email: 'a@example.com', password: 'secret', allowInsecure: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(requests.length).toBeGreaterThan(0);
  });

  it('https, and http on this computer, need no confirmation', () => {
    for (const ok of ['https://chat.example.com', 'chat.example.com', 'http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:9000', 'http://127.5.6.7']) {
      expect(() => assertTransportAllowed(ok, false), ok).not.toThrow();
    }
    for (const bad of ['http://192.168.1.10:8000', 'http://example.com', 'http://localhost.example.com']) {
      expect(() => assertTransportAllowed(bad, false), bad).toThrow(/not encrypted/);
    }
  });
});
