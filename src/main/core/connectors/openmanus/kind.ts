// The openmanus kind: a base URL (with /api) and a pasted Bearer token or session cookie, checked
// by listing the conversations. Pasted tokens cannot be renewed here (Clerk mints them in the
// user's browser): when one expires the account asks for a fresh one and keeps everything.
import { ConsoleError } from '../../../../shared/contract';
import type { Credentials } from '../credentials';
import type { KindContext, KindDefinition } from '../registry';
import { accountConfig } from '../registry';
import { signInError } from '../sign-in-errors';
import { siteName } from '../site-url';
import { openmanusCapabilities } from './capabilities';
import { OpenManusConnector, wireCredentials } from './openmanus-connector';
import { OpenManusRest } from './rest-client';

/** The account's stored config: where the API lives under the origin, and the models seen. */
export interface OpenManusAccountConfig {
  apiPath: string;
  models: string[];
}

/** `agents.example.com/api/` → origin https://agents.example.com, path /api (the default when none is given). */
export function apiLocation(input: string): { origin: string; apiPath: string } {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new ConsoleError('bad-request', 'Enter the base URL of the backend, like https://agents.example.com/api.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConsoleError('bad-request', 'The base URL must start with https:// or http://.');
  const path = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, apiPath: path === '' ? '/api' : path };
}

/** exp of a JWT, read without verifying (the backend verifies); null when not a JWT. */
export function jwtExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

function credentialsOf(input: { token?: string; sessionCookie?: string }): Credentials {
  if (input.token) return { token: input.token.replace(/^Bearer\s+/i, ''), expiresAt: jwtExpiry(input.token.replace(/^Bearer\s+/i, '')) };
  return { sessionid: (input.sessionCookie ?? '').replace(/^sessionid=/, ''), expiresAt: null };
}

async function check(apiBase: string, credentials: Credentials, ctx: KindContext): Promise<string[]> {
  const rest = new OpenManusRest({ baseUrl: apiBase, credentials: () => wireCredentials(credentials), fetch: ctx.fetch, warn: ctx.log });
  try {
    const list = await rest.listConversations();
    return [...new Set(list.map((c) => c.llm_model).filter((m): m is string => !!m))].slice(0, 50);
  } catch (error) {
    throw signInError(error, 'The backend refused this token: paste a fresh one (they last about a minute).');
  }
}

export const openmanusKind: KindDefinition<'openmanus'> = {
  kind: 'openmanus',

  capabilities: () => openmanusCapabilities,

  async connect(input, ctx) {
    const { origin, apiPath } = apiLocation(input.siteUrl);
    const credentials = credentialsOf(input);
    const models = await check(origin + apiPath, credentials, ctx);
    const config: OpenManusAccountConfig = { apiPath, models };
    return { name: siteName(origin), baseUrl: origin, config: { ...config }, credentials };
  },

  async signIn(account, input, ctx) {
    const credentials = credentialsOf(input);
    await check(account.baseUrl + apiPathOf(accountConfig(account)), credentials, ctx);
    return credentials;
  },

  create(account, credentials, ctx) {
    return new OpenManusConnector({
      ...ctx,
      apiBase: account.baseUrl + apiPathOf(accountConfig(account)),
      credentials,
      models: modelsOf(accountConfig(account)),
    });
  },
};

const modelsOf = (config: Record<string, unknown>) => (Array.isArray(config.models) ? config.models.filter((m): m is string => typeof m === 'string') : []);
const apiPathOf = (config: Record<string, unknown>) => (typeof config.apiPath === 'string' ? config.apiPath : '/api');
