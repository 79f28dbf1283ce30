// The as-deployed site's configuration: the same environment variables the real Next.js site reads.
import { randomBytes } from 'node:crypto';

export interface DeployedSiteConfig {
  /** Signs the admin_session cookie (HS256). Empty = generate one and keep it in the database. */
  authSecret: string | null;
  pusher: { appId: string; key: string; secret: string; cluster: string };
  /** The site's own admin account (created or updated at start). */
  admin: { email: string; password: string; name: string } | null;
}

export const DEPLOYED_DEFAULTS = {
  pusherAppId: 'portfolio',
  pusherKey: 'portfolio-key',
  pusherCluster: 'mt1',
} as const;

/** Reads AUTH_SECRET, PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET, PUSHER_CLUSTER, ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_NAME. */
export function deployedConfigFromEnv(env: NodeJS.ProcessEnv): DeployedSiteConfig {
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v !== undefined && v !== '' ? v : undefined;
  };
  const email = value('ADMIN_EMAIL');
  const password = value('ADMIN_PASSWORD');
  return {
    authSecret: value('AUTH_SECRET') ?? null,
    pusher: {
      appId: value('PUSHER_APP_ID') ?? DEPLOYED_DEFAULTS.pusherAppId,
      key: value('PUSHER_KEY') ?? DEPLOYED_DEFAULTS.pusherKey,
      // A random secret per run, like the plan flavour: nothing outside this process needs it.
      secret: value('PUSHER_SECRET') ?? randomBytes(16).toString('hex'),
      cluster: value('PUSHER_CLUSTER') ?? DEPLOYED_DEFAULTS.pusherCluster,
    },
    admin: email && password ? { email, password, name: value('ADMIN_NAME') ?? 'Admin' } : null,
  };
}

/** Which settings came from the environment and which are defaults, for the start banner. */
export function configSources(env: NodeJS.ProcessEnv): Record<'AUTH_SECRET' | 'PUSHER_APP_ID' | 'PUSHER_KEY' | 'PUSHER_SECRET' | 'PUSHER_CLUSTER', 'env' | 'default'> {
  const src = (name: string): 'env' | 'default' => (env[name] ? 'env' : 'default');
  return {
    AUTH_SECRET: src('AUTH_SECRET'),
    PUSHER_APP_ID: src('PUSHER_APP_ID'),
    PUSHER_KEY: src('PUSHER_KEY'),
    PUSHER_SECRET: src('PUSHER_SECRET'),
    PUSHER_CLUSTER: src('PUSHER_CLUSTER'),
  };
}
