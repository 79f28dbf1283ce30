// The django-notifications kind against the real Django Channels reference backend (daphne).
// "A visitor writes" = another user of the site invites the console's user to a challenge; the
// entry's title names the challenger, so the suite's text is recognised through the challenge id.
// The console reaches the site through a proxy that can cut its socket while REST keeps working.
import { djangoNotificationsCapabilities } from '../../../src/main/core/connectors/django-notifications/capabilities';
import { createDjangoNotificationsKind } from '../../../src/main/core/connectors/django-notifications/kind';
import { builtInKinds } from '../../../src/main/core/connectors/kinds';
import type { FeedEntry } from '../../../src/shared/domain';
import { startDjangoSite } from './django-site';
import type { ConformanceSite, ConformanceSubject } from './site';

/** The console's user: a seeded student nobody has challenged yet. */
const USER = 'eko';
const CHALLENGERS = ['ahmad', 'budi', 'citra', 'dewi'];

export const djangoNotificationsSubject = (): ConformanceSubject => ({
  name: 'django-notifications (reference backend)',
  capabilities: djangoNotificationsCapabilities(),
  async start(): Promise<ConformanceSite> {
    const site = await startDjangoSite(5);
    const { proxy } = site;
    const password = site.password(USER);
    const texts = new Map<number, string>();
    let turn = 0;
    const kinds = builtInKinds.map((k) => (k.kind === 'django-notifications' ? createDjangoNotificationsKind({ retryMs: 100, maxRetryMs: 1000 }) : k));
    return {
      capabilities: djangoNotificationsCapabilities(),
      coreOptions: { kinds },
      addAccount: (core) => site.addAccount(core, 'django-notifications', USER),
      async visitorWrites(text) {
        const username = CHALLENGERS[turn++ % CHALLENGERS.length]!;
        const res = await site.as(username, 'POST', '/en/api/v1/challenges/challenges/', { opponent_username: USER, challenge_type: 'quick_quant_10' });
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
      expireCredentials: () => site.expireCredentials(),
      signInInput: (accountId) => ({ kind: 'django-notifications', accountId, login: USER, password }),
      async sendMalformed() {
        for (const frame of ['not json at all', '{"type":"new_challenge_invite","payload":{"id":"x"}}']) {
          if (proxy.inject(frame) === 0) throw new Error('no notification socket to garble');
        }
      },
      close: () => site.close(),
    };
  },
});
