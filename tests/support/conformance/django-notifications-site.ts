// The django-notifications kind against the real Django Channels reference backend (daphne).
// "A visitor writes" = another user of the site invites the console's user to a challenge; the
// entry's title names the challenger, so the suite's text is recognised through the challenge id.
// The console reaches the site through a proxy that can cut its socket while REST keeps working.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDjangoBackend } from '../../../backends/django/launcher/backend';
import { SiteClient } from '../../../backends/django/launcher/site-client';
import { djangoNotificationsCapabilities } from '../../../src/main/core/connectors/django-notifications/capabilities';
import { createDjangoNotificationsKind } from '../../../src/main/core/connectors/django-notifications/kind';
import { builtInKinds } from '../../../src/main/core/connectors/kinds';
import type { FeedEntry } from '../../../src/shared/domain';
import { startWsDropProxy } from '../ws-drop-proxy';
import type { ConformanceSite, ConformanceSubject } from './site';

/** The console's user: a seeded student nobody has challenged yet. */
const USER = 'eko';
const CHALLENGERS = ['ahmad', 'budi', 'citra', 'dewi'];

export const djangoNotificationsSubject = (): ConformanceSubject => ({
  name: 'django-notifications (reference backend)',
  capabilities: djangoNotificationsCapabilities(),
  async start(): Promise<ConformanceSite> {
    const b = await startDjangoBackend({ seedDemo: true, students: 5, anonThrottle: '10000/hour' });
    const proxy = await startWsDropProxy(b.port);
    const password = b.seed!.students.find((s) => s.username === USER)!.password;
    const challengers = new Map<string, SiteClient>();
    const texts = new Map<number, string>();
    let turn = 0;
    const challenger = async (username: string, fresh = false): Promise<SiteClient> => {
      let client = challengers.get(username);
      if (!client || fresh) {
        client = new SiteClient(b.url);
        await client.login(username, b.seed!.students.find((s) => s.username === username)!.password);
        challengers.set(username, client);
      }
      return client;
    };
    const kinds = builtInKinds.map((k) => (k.kind === 'django-notifications' ? createDjangoNotificationsKind({ retryMs: 100, maxRetryMs: 1000 }) : k));
    return {
      capabilities: djangoNotificationsCapabilities(),
      coreOptions: { kinds },
      async addAccount(core) {
        const r = await core.dispatch('accounts.connect', { kind: 'django-notifications', siteUrl: proxy.url, login: USER, password });
        if (!r.ok) throw new Error(`connect failed: ${r.error.message}`);
        return (r.value as { id: number }).id;
      },
      async visitorWrites(text) {
        const username = CHALLENGERS[turn++ % CHALLENGERS.length]!;
        let client = await challenger(username);
        let res = await client.request('POST', '/en/api/v1/challenges/challenges/', { opponent_username: USER, challenge_type: 'quick_quant_10' });
        if (res.status === 401) {
          client = await challenger(username, true);
          res = await client.request('POST', '/en/api/v1/challenges/challenges/', { opponent_username: USER, challenge_type: 'quick_quant_10' });
        }
        if (res.status !== 201) throw new Error(`invite: ${res.status} ${await res.text()}`);
        const challenge = (await res.json()) as { id: number; challenger: { full_name: string } };
        texts.set(challenge.id, `${challenge.challenger.full_name} invited you to a challenge`);
        texts.set(-challenge.id, text);
        return String(challenge.id);
      },
      feedLabel(entry: FeedEntry) {
        const id = Number(entry.remoteId.replace(/^invite:/, ''));
        // The suite's text only when the entry is the invite with the title the user should read.
        return entry.remoteId.startsWith('invite:') && texts.get(id) === entry.title ? (texts.get(-id) ?? entry.title) : entry.title;
      },
      serverMessages: async () => [],
      holdReplies: () => undefined,
      releaseReplies: () => undefined,
      dropRealtime: async () => proxy.drop(),
      restoreRealtime: async () => proxy.restore(),
      async expireCredentials() {
        // A new signing key: every JWT and every session the console holds is void.
        writeFileSync(join(b.dataDir, 'secret_key'), randomBytes(32).toString('hex'));
        await b.restart();
        challengers.clear();
      },
      signInInput: (accountId) => ({ kind: 'django-notifications', accountId, login: USER, password }),
      async sendMalformed() {
        for (const frame of ['not json at all', '{"type":"new_challenge_invite","payload":{"id":"x"}}']) {
          if (proxy.inject(frame) === 0) throw new Error('no notification socket to garble');
        }
      },
      async close() {
        await proxy.close();
        await b.stop();
      },
    };
  },
});
