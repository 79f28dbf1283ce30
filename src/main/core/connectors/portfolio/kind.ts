// The portfolio kind. The Site URL decides the flavour (deployed/detect.ts): the plan's sites
// sign in with the admin's email and password (/api/admin/login) and may publish their realtime
// settings; sites as deployed sign in with their admin_session cookie (pasted, or minted from
// the site secret) and the form gives the Pusher key and cluster.
import { ConsoleError } from '../../../../shared/contract';
import { ConnectorError } from '../connector';
import { credentialString } from '../credentials';
import { accountConfig, type KindDefinition } from '../registry';
import { signInError } from '../sign-in-errors';
import { normalizeSiteUrl, siteName } from '../site-url';
import { portfolioCapabilities } from './capabilities';
import { DeployedPortfolioConnector, deployedCapabilities } from './deployed/deployed-connector';
import { detectPortfolioFlavour, type PortfolioFlavour } from './deployed/detect';
import { deployedCredentialsFrom, pusherSettingsFrom, renewDeployedSession, signInOnSitePage, verifyDeployedSession } from './deployed/sign-in';
import { PortfolioConnector, discoverPortfolio, signInPortfolio, type PusherSettings } from './portfolio-connector';

/** The account's stored config. */
export interface PortfolioAccountConfig {
  pusher: PusherSettings;
  /** The site has the reference backend's extensions (after=, clientMessageId, read receipts). */
  extensions: boolean;
  /** Missing on accounts made before flavours: 'plan'. */
  flavour?: PortfolioFlavour;
}

const isDeployed = (config: Record<string, unknown>) => config.flavour === 'deployed';

function emailAndPassword(input: { email?: string | undefined; password?: string | undefined }): { email: string; password: string } {
  if (!input.email || !input.password) throw new ConsoleError('bad-request', 'Enter the admin email and password of your site.');
  return { email: input.email, password: input.password };
}

export const portfolioKind: KindDefinition<'portfolio'> = {
  kind: 'portfolio',

  capabilities: (config) => (isDeployed(config) ? deployedCapabilities() : portfolioCapabilities(config.extensions === true)),

  async connect(input, ctx) {
    const baseUrl = normalizeSiteUrl(input.siteUrl);
    try {
      const flavour = await detectPortfolioFlavour(baseUrl, ctx.fetch);
      if (flavour === 'deployed') {
        const pusher = pusherSettingsFrom(input);
        const credentials = await deployedCredentialsFrom(await signInOnSitePage(baseUrl, input, ctx), ctx.clock());
        await verifyDeployedSession(baseUrl, credentials.token, ctx);
        const config: PortfolioAccountConfig = { pusher, extensions: false, flavour };
        return { name: siteName(baseUrl), baseUrl, config: { ...config }, credentials };
      }
      if (input.signInWindow) throw new ConsoleError('bad-request', 'This site signs in with the admin email and password: enter them instead.');
      const { email, password } = emailAndPassword(input);
      const discovered = input.pusher ? null : await discoverPortfolio(baseUrl, ctx.fetch);
      const pusher = input.pusher ?? discovered ?? (input.pusherKey ? pusherSettingsFrom(input) : null);
      if (!pusher) throw new ConsoleError('bad-request', 'This site does not publish its realtime settings. Enter the Pusher key and cluster by hand.');
      const { token, expiresAt } = await signInPortfolio(baseUrl, email, password, ctx.fetch);
      const config: PortfolioAccountConfig = { pusher, extensions: discovered !== null, flavour };
      return { name: siteName(baseUrl), baseUrl, config: { ...config }, credentials: { token, expiresAt } };
    } catch (error) {
      throw signInError(error);
    }
  },

  async signIn(account, input, ctx) {
    try {
      if (isDeployed(accountConfig(account))) {
        const credentials = await deployedCredentialsFrom(await signInOnSitePage(account.baseUrl, input, ctx), ctx.clock());
        await verifyDeployedSession(account.baseUrl, credentials.token, ctx);
        return credentials;
      }
      const { email, password } = emailAndPassword(input);
      const { token, expiresAt } = await signInPortfolio(account.baseUrl, email, password, ctx.fetch);
      return { token, expiresAt };
    } catch (error) {
      throw signInError(error);
    }
  },

  async refresh(account, current, ctx) {
    // Only a site-secret session can be renewed without the user; everything else signs in again.
    if (!isDeployed(accountConfig(account))) throw new ConnectorError('auth', 'Sign in again.');
    return renewDeployedSession(current, ctx.clock());
  },

  // A pasted cookie lasts a day and cannot be renewed; a minted session renews itself.
  signInEndsAt: (account, credentials) =>
    isDeployed(accountConfig(account)) && credentials.siteSecret === undefined && typeof credentials.expiresAt === 'number' ? credentials.expiresAt : null,

  create(account, credentials, ctx) {
    const config = accountConfig(account) as unknown as PortfolioAccountConfig;
    const token = () => credentialString(credentials.current(), 'token');
    // The core's timers, clock and randomness, as the Django and OpenManus kinds are given the whole context.
    const links = { timers: ctx.timers, clock: ctx.clock, random: ctx.random };
    if (config.flavour === 'deployed') {
      return new DeployedPortfolioConnector({
        baseUrl: account.baseUrl,
        pusher: config.pusher,
        token,
        refresh: () => credentials.refresh(),
        expiresAt: () => credentials.current()?.expiresAt ?? null,
        renewable: () => credentialString(credentials.current(), 'siteSecret') !== undefined,
        log: ctx.log,
        fetch: ctx.fetch,
        ...links,
      });
    }
    return new PortfolioConnector({ baseUrl: account.baseUrl, pusher: config.pusher, extensions: config.extensions, token, log: ctx.log, fetch: ctx.fetch, ...links });
  },
};
