// Test support for the as-deployed flavour: a started site on free ports, a cookie-carrying
// HTTP client, and pusher-js clients that authorise form-encoded with the admin_session cookie.
import { rmSync } from 'node:fs';
import PusherJS from 'pusher-js';
import { startDeployedBackend, type DeployedBackendHandle, type DeployedBackendOptions } from '../src/index';
import { tempDir } from './api';

export const SITE_ADMIN = { email: 'owner@example.com', password: 'correct horse battery staple', name: 'Site Owner' };
export const AUTH_SECRET = 'test-auth-secret-0123456789abcdef0123456789';

export type DeployedTestSite = DeployedBackendHandle & { cleanup(): Promise<void> };

export async function startDeployedSite(opts: DeployedBackendOptions = {}): Promise<DeployedTestSite> {
  const dir = opts.dataDir ?? tempDir();
  const site = await startDeployedBackend({
    port: 0,
    pusherPort: 0,
    dataDir: dir,
    admin: SITE_ADMIN,
    authSecret: AUTH_SECRET,
    autoReplyDelayMs: 0,
    ...opts,
  });
  return Object.assign(site, {
    async cleanup() {
      await site.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export interface SiteRes<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: { success?: boolean; data: T; error?: string } & Record<string, unknown>;
}

export function siteClient(base: string) {
  async function call<T = unknown>(
    method: string,
    path: string,
    o: { json?: unknown; form?: Record<string, string>; cookie?: string; headers?: Record<string, string> } = {},
  ): Promise<SiteRes<T>> {
    const headers: Record<string, string> = { ...o.headers };
    let body: string | undefined;
    if (o.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    }
    if (o.cookie) headers.Cookie = `admin_session=${o.cookie}`;
    const res = await fetch(base + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: SiteRes<T>['body'];
    try {
      parsed = JSON.parse(text) as SiteRes<T>['body'];
    } catch {
      parsed = undefined as unknown as SiteRes<T>['body'];
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }
  return {
    call,
    /** Signs in through the /admin/login form; returns the admin_session cookie value. */
    async login(email = SITE_ADMIN.email, password = SITE_ADMIN.password): Promise<string> {
      const r = await call('POST', '/admin/login', { form: { email, password } });
      const cookie = /admin_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
      if (r.status !== 303 || !cookie) throw new Error(`login failed ${r.status}`);
      return cookie;
    },
    visitorSays(visitorId: string, content: string, conversationId: number | null = null) {
      return call<{ messageId: number; conversationId: number; aiResponse?: Record<string, unknown> }>('POST', '/api/chat/send', {
        json: { conversationId, content, visitorId },
      });
    },
    adminSays(cookie: string, conversationId: number, content: string) {
      return call<{ messageId: number; conversationId: number }>('POST', '/api/chat/send', { cookie, json: { conversationId, content } });
    },
  };
}

/**
 * pusher-js (Node) against the site's Pusher-protocol server. Channel auth is a real form-encoded
 * POST to /api/pusher/auth carrying the cookie: pusher-js's own Node XHR refuses to set a Cookie
 * header, so the request goes through fetch in a customHandler.
 */
export function sitePusher(site: DeployedBackendHandle, cookie: string | null): PusherJS & { authStatuses: number[] } {
  const authStatuses: number[] = [];
  const client = new PusherJS(site.pusher.key, {
    cluster: site.pusher.cluster,
    wsHost: site.pusher.host,
    wsPort: site.pusher.port,
    wssPort: site.pusher.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    // Without a cookie pusher-js's own form-encoded request is used as is.
    channelAuthorization: cookie === null ? { endpoint: `${site.apiUrl}/api/pusher/auth`, transport: 'ajax' } : {
      endpoint: `${site.apiUrl}/api/pusher/auth`,
      transport: 'ajax',
      customHandler: (params, callback) => {
        const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `admin_session=${cookie}` };
        fetch(`${site.apiUrl}/api/pusher/auth`, {
          method: 'POST',
          headers,
          body: new URLSearchParams({ socket_id: params.socketId, channel_name: params.channelName }).toString(),
        })
          .then(async (res) => {
            authStatuses.push(res.status);
            if (res.status !== 200) return callback(new Error(`auth ${res.status}`), null);
            callback(null, (await res.json()) as { auth: string; channel_data?: string });
          })
          .catch((err: unknown) => callback(err as Error, null));
      },
    },
  });
  return Object.assign(client, { authStatuses });
}

/** Records every event of a channel in arrival order. */
export function recordEvents(channel: { bind_global(cb: (event: string, data: unknown) => void): unknown }): { event: string; data: unknown }[] {
  const seen: { event: string; data: unknown }[] = [];
  channel.bind_global((event, data) => {
    if (!event.startsWith('pusher:') && !event.startsWith('pusher_internal:')) seen.push({ event, data });
  });
  return seen;
}
