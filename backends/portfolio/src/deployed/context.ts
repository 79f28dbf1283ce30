// What every deployed route handler gets: the store, the cookie check and the Pusher trigger.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cookieValue, readAdminSession, SESSION_COOKIE } from './session-cookie';
import type { DeployedStore } from './store';

export interface SiteContext {
  store: DeployedStore;
  authSecret: string;
  /** Seconds an admin_session lasts (1 day on the real site). */
  sessionTtlSeconds: number;
  /** Secure cookies, as the site does in production. */
  secureCookies: boolean;
  /** Triggers through the official `pusher` SDK; a failure is logged, never fails the request. */
  trigger(channel: string, event: string, data: unknown): Promise<void>;
  log(line: string): void;
}

export type Handler = (ctx: SiteContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export const ADMIN_CHANNEL = 'private-admin-notifications';
export const conversationChannel = (id: number): string => `private-conversation-${id}`;

/** The signed-in admin's user id from the admin_session cookie (never from an Authorization header). */
export async function adminFrom(ctx: SiteContext, req: IncomingMessage): Promise<number | null> {
  const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (!token) return null;
  return readAdminSession(ctx.authSecret, token);
}
