// The portfolio kind: sign-in with the admin's email and password (the reference backend's
// /api/admin/login), realtime settings discovered from /api/chat/config or typed in.
import { ConsoleError } from '../../../../shared/contract';
import { credentialString } from '../credentials';
import type { KindDefinition } from '../registry';
import { signInError } from '../sign-in-errors';
import { normalizeSiteUrl, siteName } from '../site-url';
import { portfolioCapabilities } from './capabilities';
import { PortfolioConnector, discoverPortfolio, signInPortfolio, type PusherSettings } from './portfolio-connector';

/** The account's stored config. */
export interface PortfolioAccountConfig {
  pusher: PusherSettings;
  /** The site has the reference backend's extensions (after=, clientMessageId, read receipts). */
  extensions: boolean;
}

export const portfolioKind: KindDefinition<'portfolio'> = {
  kind: 'portfolio',

  capabilities: (config) => portfolioCapabilities(config.extensions === true),

  async connect(input, ctx) {
    const baseUrl = normalizeSiteUrl(input.siteUrl);
    try {
      const discovered = input.pusher ? null : await discoverPortfolio(baseUrl, ctx.fetch);
      const pusher = input.pusher ?? discovered;
      if (!pusher) throw new ConsoleError('bad-request', 'This site does not publish its realtime settings. Enter the Pusher key and cluster by hand.');
      const { token, expiresAt } = await signInPortfolio(baseUrl, input.email, input.password, ctx.fetch);
      const config: PortfolioAccountConfig = { pusher, extensions: discovered !== null };
      return { name: siteName(baseUrl), baseUrl, config: { ...config }, credentials: { token, expiresAt } };
    } catch (error) {
      throw signInError(error);
    }
  },

  async signIn(account, input, ctx) {
    try {
      const { token, expiresAt } = await signInPortfolio(account.baseUrl, input.email, input.password, ctx.fetch);
      return { token, expiresAt };
    } catch (error) {
      throw signInError(error);
    }
  },

  create(account, credentials, ctx) {
    const config = JSON.parse(account.config) as PortfolioAccountConfig;
    return new PortfolioConnector({
      baseUrl: account.baseUrl,
      pusher: config.pusher,
      extensions: config.extensions,
      token: () => credentialString(credentials.current(), 'token'),
      log: ctx.log,
      fetch: ctx.fetch,
    });
  },
};
