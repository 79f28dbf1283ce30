// Signing in to a site as deployed: a pasted admin_session cookie, or a session minted from the
// site's AUTH_SECRET and an admin user id (renewed before it ends). Either is checked against
// the site before it is kept.
import { z } from 'zod';
import { ConsoleError } from '../../../../../shared/contract';
import type { ConnectInputOf, SignInInputOf } from '../../../../../shared/kinds';
import { ConnectorError } from '../../connector';
import type { Credentials } from '../../credentials';
import type { KindContext } from '../../registry';
import { requireSiteSignIn } from '../../site-sign-in';
import type { PusherSettings } from '../portfolio-connector';
import { RestClient } from '../rest-client';
import { SESSION_COOKIE, cookieTokenFrom, mintSessionToken, readSessionToken } from './session-token';

type DeployedFields = 'sessionCookie' | 'siteSecret' | 'adminUserId';
type DeployedInput = Pick<ConnectInputOf<'portfolio'>, DeployedFields> | Pick<SignInInputOf<'portfolio'>, DeployedFields>;

/**
 * Where the user chose "Sign in with the site's page" (desktop app): opens the site's own
 * /admin/login in the sign-in window and takes the admin_session cookie it sets as if it had
 * been pasted (the rest of the form is already checked, so a mistake there cannot waste a sign-in).
 */
export async function signInOnSitePage(baseUrl: string, input: DeployedInput & { signInWindow?: true | undefined }, ctx: Pick<KindContext, 'siteSignIn'>): Promise<DeployedInput> {
  if (!input.signInWindow) return input;
  const cookie = await requireSiteSignIn(ctx.siteSignIn)({ url: new URL('/admin/login', baseUrl).href, cookieName: SESSION_COOKIE });
  return { sessionCookie: cookie };
}

/** The credentials a deployed-site account keeps (in the SecretStore). */
export interface DeployedCredentials extends Credentials {
  token: string;
  expiresAt: number | null;
  /** Only in site-secret mode: what renewing needs. */
  siteSecret?: string;
  adminUserId?: number;
}

/** Turns the form's input into a session token; does not contact the site. */
export async function deployedCredentialsFrom(input: DeployedInput, nowMs: number): Promise<DeployedCredentials> {
  if (input.siteSecret) {
    if (!input.adminUserId) throw new ConsoleError('bad-request', 'With the site secret, also enter the admin user id (the id of your admin account on the site, usually 1).');
    const userId = Number(input.adminUserId);
    const { token, expiresAt } = await mintSessionToken(input.siteSecret, userId, nowMs);
    return { token, expiresAt, siteSecret: input.siteSecret, adminUserId: userId };
  }
  if (input.sessionCookie) {
    const token = cookieTokenFrom(input.sessionCookie);
    const claims = readSessionToken(token);
    if (!claims) throw new ConsoleError('bad-request', 'That is not an admin_session cookie value (it should look like eyJhbGciOi…).');
    if (claims.expiresAt !== null && claims.expiresAt <= nowMs) throw new ConsoleError('bad-request', 'This session cookie has expired. Sign in on your site again and copy the new one.');
    return { token, expiresAt: claims.expiresAt };
  }
  throw new ConsoleError('bad-request', 'This site signs in on its own /admin/login page: paste its admin_session cookie, or enter the site secret and the admin user id.');
}

/** Checks the token against the site (one cookie-checked request). */
export async function verifyDeployedSession(baseUrl: string, token: string, ctx: KindContext): Promise<void> {
  const rest = new RestClient({ baseUrl, token: () => token, authHeaders: (t) => ({ Cookie: `admin_session=${t}` }), fetch: ctx.fetch });
  try {
    await rest.request('GET', '/api/chat/conversations?status=active', z.array(z.unknown()));
  } catch (error) {
    if (error instanceof ConnectorError && error.kind === 'auth') {
      throw new ConsoleError('forbidden', 'The site refused this session: the cookie is wrong or expired, or the site secret or user id does not match.');
    }
    throw error;
  }
}

/** Renews a site-secret session; a pasted cookie cannot be renewed (the user signs in again). */
export async function renewDeployedSession(current: Credentials, nowMs: number): Promise<DeployedCredentials> {
  const secret = typeof current.siteSecret === 'string' ? current.siteSecret : null;
  const userId = typeof current.adminUserId === 'number' ? current.adminUserId : null;
  if (!secret || userId === null) throw new ConnectorError('auth', 'The session cookie has ended: sign in on the site again and paste the new cookie.');
  const { token, expiresAt } = await mintSessionToken(secret, userId, nowMs);
  return { token, expiresAt, siteSecret: secret, adminUserId: userId };
}

/** Realtime settings from the form: there is no config endpoint to ask. */
export function pusherSettingsFrom(input: Pick<ConnectInputOf<'portfolio'>, 'pusher' | 'pusherKey' | 'pusherCluster' | 'pusherServer'>): PusherSettings {
  if (input.pusher) return input.pusher;
  if (!input.pusherKey || !input.pusherCluster) {
    throw new ConsoleError('bad-request', 'This site does not publish its realtime settings: enter the Pusher key and cluster (your site\'s NEXT_PUBLIC_PUSHER_KEY and NEXT_PUBLIC_PUSHER_CLUSTER).');
  }
  const settings: PusherSettings = { key: input.pusherKey, cluster: input.pusherCluster, forceTLS: true };
  if (input.pusherServer) {
    const url = new URL(input.pusherServer);
    settings.wsHost = url.hostname;
    settings.forceTLS = url.protocol === 'wss:';
    settings.wsPort = url.port ? Number(url.port) : settings.forceTLS ? 443 : 80;
  }
  return settings;
}
