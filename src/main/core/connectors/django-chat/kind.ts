// The django-chat kind: sign in with the site URL, "Email or username" and password; keep the
// JWTs (REST) and the session cookie (sockets); renew the access token with the refresh token.
import type { KindDefinition } from '../registry';
import { signInError } from '../sign-in-errors';
import { normalizeSiteUrl, siteName } from '../site-url';
import { djangoChatCapabilities } from './capabilities';
import { DjangoChatConnector, type DjangoChatConnectorOptions } from './django-chat-connector';
import { refreshDjango, signInDjango } from './session';

const WRONG = 'Wrong email, username or password.';

/** Poll interval, socket bound and echo timeout; tests shorten them, the app uses the defaults. */
export type DjangoChatTuning = Pick<DjangoChatConnectorOptions, 'pollMs' | 'maxSockets' | 'echoTimeoutMs'>;

export const createDjangoChatKind = (tuning: DjangoChatTuning = {}): KindDefinition<'django-chat'> => ({
  kind: 'django-chat',

  capabilities: () => djangoChatCapabilities(),

  async connect(input, ctx) {
    const baseUrl = normalizeSiteUrl(input.siteUrl);
    try {
      const credentials = await signInDjango(baseUrl, input.login, input.password, ctx.fetch);
      // Reading history marks the student's messages read on this site: the account says so.
      return { name: siteName(baseUrl), baseUrl, config: { readSideEffects: true }, credentials };
    } catch (error) {
      throw signInError(error, WRONG);
    }
  },

  async signIn(account, input, ctx) {
    try {
      return await signInDjango(account.baseUrl, input.login, input.password, ctx.fetch);
    } catch (error) {
      throw signInError(error, WRONG);
    }
  },

  refresh: (account, current, ctx) => refreshDjango(account.baseUrl, current, ctx.fetch),

  create(account, credentials, ctx) {
    return new DjangoChatConnector({
      ...ctx,
      baseUrl: account.baseUrl,
      credentials,
      ...tuning,
    });
  },
});

export const djangoChatKind = createDjangoChatKind();
