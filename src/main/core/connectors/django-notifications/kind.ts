// The django-notifications kind: the same sign-in as django-chat (site URL, "Email or username",
// password → JWTs for REST and the session cookie for the socket), a feed instead of an inbox.
import { djangoLogin, djangoRefresh, djangoSignInAgain } from '../django-common/sign-in';
import type { KindDefinition } from '../registry';
import { normalizeSiteUrl, siteName } from '../site-url';
import { djangoNotificationsCapabilities } from './capabilities';
import { DjangoNotificationsConnector, type DjangoNotificationsOptions } from './notifications-connector';

export type DjangoNotificationsTuning = Pick<DjangoNotificationsOptions, 'retryMs' | 'maxRetryMs'>;

export const createDjangoNotificationsKind = (tuning: DjangoNotificationsTuning = {}): KindDefinition<'django-notifications'> => ({
  kind: 'django-notifications',

  capabilities: () => djangoNotificationsCapabilities(),

  async connect(input, ctx) {
    const baseUrl = normalizeSiteUrl(input.siteUrl);
    const credentials = await djangoLogin(baseUrl, input, ctx);
    return { name: `${siteName(baseUrl)} notifications`, baseUrl, config: {}, credentials };
  },

  signIn: djangoSignInAgain,

  refresh: djangoRefresh,

  create(account, credentials, ctx) {
    return new DjangoNotificationsConnector({ ...ctx, baseUrl: account.baseUrl, credentials, ...tuning });
  },
});

export const djangoNotificationsKind = createDjangoNotificationsKind();
