// The jwt-ws kind: sign-in with the site URL, email and password (plus a device id that stays the
// same for this account on this computer: the server keeps one session per device and refuses a
// login without one). The password is kept with the tokens in the SecretStore so a refused
// refresh can sign in again without asking.
import { randomUUID } from 'node:crypto';
import type { KindDefinition } from '../registry';
import { accountConfig } from '../registry';
import { signInError } from '../sign-in-errors';
import { normalizeSiteUrl, siteName } from '../site-url';
import { ConnectorError } from '../connector';
import { JwtWsConnector, jwtWsCapabilities } from './jwt-ws-connector';
import { asJwtWsCredentials, renewJwtWs, signInJwtWs } from './session';

/** The account's stored config (not secret). */
export interface JwtWsAccountConfig {
  deviceId: string;
}

const deviceIdOf = (config: Record<string, unknown>): string => (typeof config.deviceId === 'string' && config.deviceId ? config.deviceId : randomUUID());

export const jwtWsKind: KindDefinition<'jwt-ws'> = {
  kind: 'jwt-ws',

  capabilities: () => ({ ...jwtWsCapabilities, startConversations: false }),

  async connect(input, ctx) {
    const baseUrl = normalizeSiteUrl(input.siteUrl);
    const deviceId = randomUUID();
    try {
      const credentials = await signInJwtWs({ baseUrl, fetch: ctx.fetch, now: ctx.clock }, { email: input.email, password: input.password, deviceId });
      const config: JwtWsAccountConfig = { deviceId };
      return { name: siteName(baseUrl), baseUrl, config: { ...config }, credentials };
    } catch (error) {
      throw signInError(error);
    }
  },

  async signIn(account, input, ctx) {
    try {
      return await signInJwtWs({ baseUrl: account.baseUrl, fetch: ctx.fetch, now: ctx.clock }, { email: input.email, password: input.password, deviceId: deviceIdOf(accountConfig(account)) });
    } catch (error) {
      throw signInError(error);
    }
  },

  async refresh(account, current, ctx) {
    const c = asJwtWsCredentials(current);
    if (!c) throw new ConnectorError('auth', 'Sign in again.');
    return renewJwtWs({ baseUrl: account.baseUrl, fetch: ctx.fetch, now: ctx.clock, log: ctx.log }, c, deviceIdOf(accountConfig(account)));
  },

  create(account, credentials, ctx) {
    return new JwtWsConnector({ baseUrl: account.baseUrl, credentials, fetch: ctx.fetch, clock: ctx.clock, random: ctx.random, timers: ctx.timers, log: ctx.log });
  },
};
