// The real Django Channels reference backend as both Django subjects start it: daphne with the
// demo seed, a proxy in front that can cut (or hold) the console's sockets while REST keeps
// working, logged-in site users (SiteClient, signed in again after their session is voided), and
// expired credentials as a new signing key.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDjangoBackend, type DjangoBackend } from '../../../backends/django/launcher/backend';
import type { Core } from '../../../src/main/core/core';
import { SiteClient } from '../../../backends/django/launcher/site-client';
import { startWsDropProxy, type WsDropProxy } from '../ws-drop-proxy';

export interface DjangoSite {
  b: DjangoBackend;
  /** What the console talks to (the site's own address is `b.url`, where users go directly). */
  proxy: WsDropProxy;
  password(username: string): string;
  /** A seeded user signed in (once; `fresh` signs in again). */
  user(username: string, fresh?: boolean): Promise<SiteClient>;
  /** A request as `username` that signs in again once when its session was voided (401). */
  as(username: string, method: string, path: string, body?: unknown): Promise<Response>;
  /** Adds the console's account as `login` through the contract (via the proxy), as the UI does; returns its id. */
  addAccount(core: Core, kind: 'django-chat' | 'django-notifications', login: string): Promise<number>;
  /** A new signing key: every JWT and every session anyone holds is void. */
  expireCredentials(): Promise<void>;
  close(): Promise<void>;
}

export async function startDjangoSite(students: number): Promise<DjangoSite> {
  const b = await startDjangoBackend({ seedDemo: true, students, anonThrottle: '10000/hour' });
  const proxy = await startWsDropProxy(b.port);
  const users = new Map<string, SiteClient>();
  const password = (username: string): string => {
    const cred = [b.seed!.teacher, ...b.seed!.students].find((s) => s.username === username);
    if (!cred) throw new Error(`no seeded user ${username}`);
    return cred.password;
  };
  const user = async (username: string, fresh = false): Promise<SiteClient> => {
    let client = users.get(username);
    if (!client || fresh) {
      client = new SiteClient(b.url);
      await client.login(username, password(username));
      users.set(username, client);
    }
    return client;
  };
  return {
    b,
    proxy,
    password,
    user,
    async as(username, method, path, body) {
      const res = await (await user(username)).request(method, path, body);
      return res.status === 401 ? (await user(username, true)).request(method, path, body) : res;
    },
    async addAccount(core, kind, login) {
      const r = await core.dispatch('accounts.connect', { kind, siteUrl: proxy.url, login, password: password(login) });
      if (!r.ok) throw new Error(`connect failed: ${r.error.message}`);
      return (r.value as { id: number }).id;
    },
    async expireCredentials() {
      writeFileSync(join(b.dataDir, 'secret_key'), randomBytes(32).toString('hex'));
      await b.restart();
      users.clear();
    },
    async close() {
      await proxy.close();
      await b.stop();
    },
  };
}
