// Shared test helpers: official clients only (pusher-js in Node, the `pusher` server SDK).
import Pusher from 'pusher';
import PusherJS from 'pusher-js';
import type { Channel, Options } from 'pusher-js';

export const TEST_APP = { id: '3', key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };

export function sdkFor(port: number, app: { id: string; key: string; secret: string } = TEST_APP): Pusher {
  return new Pusher({ appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1', port: String(port), useTLS: false });
}

/** pusher-js (Node build) configured for a local server, authorising through the official SDK. */
export function clientFor(port: number, opts: Partial<Options> & { authWith?: Pusher; presence?: (socketId: string) => { user_id: string | number; user_info?: Record<string, unknown> } } = {}, key = TEST_APP.key): PusherJS {
  const { authWith, presence, ...rest } = opts;
  const options: Options = {
    cluster: 'mt1',
    wsHost: '127.0.0.1',
    wsPort: port,
    wssPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    ...rest,
  };
  if (authWith) {
    options.channelAuthorization = {
      endpoint: 'http://127.0.0.1/unused',
      transport: 'ajax',
      customHandler: (params, callback) => {
        try {
          // The SDK types user_id as a string; the protocol also allows numbers.
          const member = (presence ? presence(params.socketId) : { user_id: params.socketId }) as { user_id: string; user_info?: Record<string, unknown> };
          const auth = params.channelName.startsWith('presence-')
            ? authWith.authorizeChannel(params.socketId, params.channelName, member)
            : authWith.authorizeChannel(params.socketId, params.channelName);
          callback(null, auth);
        } catch (err) {
          callback(err as Error, null);
        }
      },
    };
  }
  return new PusherJS(key, options);
}

export function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = (): void => {
      let v: T | undefined | null | false;
      try {
        v = fn();
      } catch {
        v = undefined;
      }
      if (v !== undefined && v !== null && v !== false) return resolve(v);
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

export function connected(client: PusherJS, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (client.connection.state === 'connected') return resolve();
    const t = setTimeout(() => reject(new Error(`pusher-js did not connect (state ${client.connection.state})`)), timeoutMs);
    const cb = (): void => {
      clearTimeout(t);
      client.connection.unbind('connected', cb);
      resolve();
    };
    client.connection.bind('connected', cb);
  });
}

export function nextEvent<T = unknown>(channel: Channel, event: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      channel.unbind(event, cb);
      reject(new Error(`no ${event} on ${channel.name}`));
    }, timeoutMs);
    const cb = (data: T): void => {
      clearTimeout(t);
      channel.unbind(event, cb);
      resolve(data);
    };
    channel.bind(event, cb);
  });
}

export function subscribed(client: PusherJS, name: string): Promise<Channel> {
  const ch = client.subscribe(name);
  if (ch.subscribed) return Promise.resolve(ch);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`subscription to ${name} did not succeed`)), 10_000);
    ch.bind('pusher:subscription_succeeded', () => {
      clearTimeout(t);
      resolve(ch);
    });
    ch.bind('pusher:subscription_error', (e: unknown) => {
      clearTimeout(t);
      reject(new Error(`subscription_error on ${name}: ${JSON.stringify(e)}`));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Collects pusher:error / close errors surfaced on a pusher-js connection. */
export function collectErrors(client: PusherJS): { code: number | null; message: string }[] {
  const errors: { code: number | null; message: string }[] = [];
  type ErrData = { code?: number | null; message?: string };
  client.connection.bind('error', (e: { type?: string; data?: ErrData; error?: { data?: ErrData } }) => {
    // After the handshake: {type:'PusherError', data}; during it: {type:'WebSocketError', error:{data}}.
    const d = e?.data ?? e?.error?.data;
    if (d) errors.push({ code: d.code ?? null, message: String(d.message ?? '') });
  });
  return errors;
}
