// The django-notifications kind: the same sign-in as django-chat (site URL, "Email or username",
// password → JWTs for REST and the session cookie for the socket), a feed instead of an inbox.
import type { KindDefinition } from '../registry';
import { signInError } from '../sign-in-errors';
import { normalizeSiteUrl, siteName } from '../site-url';
import { refreshDjango, signInDjango } from '../django-chat/session';
import { djangoNotificationsCapabilities } from './capabilities';
import { DjangoNotificationsConnector, type DjangoNotificationsOptions } from './notifications-connector';

const WRONG = 'Wrong email, username or password.';

export type DjangoNotificationsTuning = Pick<DjangoNotificationsOptions, 'retryMs' | 'maxRetryMs'>;

export const createDjangoNotificationsKind = (tuning: DjangoNotificationsTuning = {}): KindDefinition<'django-notifications'> => ({
  kind: 'django-notifications',

  capabilities: () => djangoNotificationsCapabilities(),

  async connect(input, ctx) {
    const baseUrl = normalizeSiteUrl(input.siteUrl);
    try {
      const credentials = await signInDjango(baseUrl, input.login, input.password, ctx.fetch);
      return { name: `${siteName(baseUrl)} notifications`, baseUrl, config: {}, credentials };
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
    return new DjangoNotificationsConnector({
      baseUrl: account.baseUrl,
      credentials,
      fetch: ctx.fetch,
      clock: ctx.clock,
      random: ctx.random,
      timers: ctx.timers,
      log: ctx.log,
      ...tuning,
    });
  },
});

export const djangoNotificationsKind = createDjangoNotificationsKind();
