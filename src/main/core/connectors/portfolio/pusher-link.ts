// Pusher helpers of both portfolio flavours: checked event payloads, and (as deployed) one
// pusher-js connection reporting its state to a sink, with channel auth done by the caller
// (the deployed site wants its cookie, which pusher-js's own Node XHR cannot send).
import type { Channel, default as Pusher, Options } from 'pusher-js';
import type { z } from 'zod';
import type { ConnectorSink } from '../connector';
import type { PusherSettings } from '../../../../shared/kinds';
import { Backoff, type BackoffPolicy } from '../../sync/backoff';
import { realTimers, type Timers } from '../../sync/timers';

const UNAVAILABLE_AFTER_MS = 10_000;
/**
 * pusher-js waits up to ~15 s between attempts once the server has gone: while the link is
 * down the attempt is restarted every 0.5–1 s three times (a server restarting), then twice as
 * late each time (capped at 4 s for the first minute: FAST_PROBE_MAX_MS), up to 15–30 s (a site
 * gone for good costs one attempt in that time, not one
 * every 1–2 s for as long as the app runs). Jittered, so the consoles a restarted server lost
 * do not all come back at once.
 */
export const PROBE_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, flatAttempts: 2 };
/**
 * For the first minute of an outage no probe waits longer than 4 s: a server restarting is back
 * within seconds and the gap must be filled within 5 s of its return. Only then do the probes
 * back off to PROBE_BACKOFF's cap.
 */
export const FAST_PROBES_FOR_MS = 60_000;
export const FAST_PROBE_MAX_MS = 4000;

/** The wait before the next probe, the link down for `downForMs`. */
export function probeDelay(probes: Backoff, downForMs: number): number {
  const delay = probes.failed();
  return downForMs < FAST_PROBES_FOR_MS ? Math.min(delay, FAST_PROBE_MAX_MS) : delay;
}

export type Authorize = (socketId: string, channelName: string) => Promise<{ auth: string; channel_data?: string }>;

/** Makes the pusher-js client: the SDK itself, or in a unit test a fake of its surface. */
export type PusherFactory = (key: string, options: Options) => Pusher;

/**
 * The SDK, loaded when a link first opens rather than at start: it is a third of the core's
 * bundle (~15-25 ms to compile and run), and nothing before the first inbox page needs it.
 */
export async function loadPusher(): Promise<PusherFactory> {
  const { default: Sdk } = await import('pusher-js');
  return (key, options) => new Sdk(key, options);
}

/** The factory a connect uses: the one given, or the SDK once loaded. */
export async function pusherFactory(deps: LinkDeps): Promise<PusherFactory> {
  return deps.createPusher ?? (await (deps.loadPusher ?? loadPusher)());
}

/** What a link needs from outside; the composition root leaves them at the real ones. */
export interface LinkDeps {
  createPusher?: PusherFactory | undefined;
  /** Loads the SDK when no factory is given (a test holds it to race a disconnect). */
  loadPusher?: (() => Promise<PusherFactory>) | undefined;
  timers?: Timers | undefined;
  clock?: (() => number) | undefined;
  random?: (() => number) | undefined;
}

/** Node's timers are unref'd so a probe never keeps the process alive; a test's fake has none. */
export const unref = (handle: unknown): void => (handle as { unref?: () => void } | null)?.unref?.();

/** The client options both flavours give pusher-js: the site's key and host, WebSocket only, no stats. */
export const pusherOptions = (p: PusherSettings) => ({
  cluster: p.cluster,
  ...(p.wsHost ? { wsHost: p.wsHost } : {}),
  ...(p.wsPort ? { wsPort: p.wsPort, wssPort: p.wsPort } : {}),
  forceTLS: p.forceTLS ?? true,
  enabledTransports: ['ws', 'wss'] as ('ws' | 'wss')[],
  disableStats: true,
});

export function connectPusher(p: PusherSettings, sink: ConnectorSink, authorize: Authorize, deps: LinkDeps & { createPusher: PusherFactory }): Pusher {
  const timers = deps.timers ?? realTimers;
  const clock = deps.clock ?? Date.now;
  const pusher = deps.createPusher(p.key, {
    ...pusherOptions(p),
    channelAuthorization: {
      endpoint: '/api/pusher/auth',
      transport: 'ajax',
      customHandler: (params, callback) => {
        authorize(params.socketId, params.channelName).then(
          (auth) => callback(null, auth),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
        );
      },
    },
  });
  let downSince: number | null = null;
  let probeTimer: unknown = null;
  const probes = new Backoff(PROBE_BACKOFF, deps.random);
  // Channels are resubscribed on connect, which reports the gap.
  const probe = (): void => {
    if (probeTimer) return;
    probeTimer = timers.setTimeout(() => {
      probeTimer = null;
      const state = pusher.connection.state;
      if (state !== 'connecting' && state !== 'unavailable') return;
      pusher.disconnect();
      pusher.connect();
      probe();
    }, probeDelay(probes, downSince === null ? 0 : clock() - downSince));
    unref(probeTimer);
  };
  pusher.connection.bind('state_change', ({ current }: { current: string }) => {
    if (current === 'connected') {
      probes.succeeded();
      downSince = null;
      sink.link('connected');
    } else if (current === 'connecting' || current === 'unavailable') {
      downSince ??= clock();
      if (current === 'unavailable' || clock() - downSince > UNAVAILABLE_AFTER_MS) sink.link('unavailable', 'The realtime server cannot be reached; retrying.');
      else sink.link('connecting');
      probe();
    } else if (current === 'failed') sink.link('unavailable', 'This system cannot use the realtime transport.');
    else if (current === 'disconnected' && probeTimer) {
      timers.clearTimeout(probeTimer);
      probeTimer = null;
    }
  });
  pusher.connection.bind('error', (error: { data?: { code?: number; message?: string } }) => {
    const code = error?.data?.code;
    if (code === 4009) sink.link('auth-expired', 'The realtime server refused the sign-in.');
    else if (code !== undefined && code >= 4000 && code < 4100) sink.link('unavailable', error.data?.message ?? `Refused (${code}).`);
  });
  return pusher;
}

/** A channel the site refused for now is asked again after 1–2 s, backing off to 15–30 s. */
export const RESUBSCRIBE_BACKOFF: BackoffPolicy = { baseMs: 2000, maxMs: 30_000 };

/**
 * A transient refusal of a channel (the site's auth endpoint down for a moment, as when it
 * restarts after its realtime server) is not final. pusher-js never asks again on its own while
 * the socket stays up, so the account would look live and hear nothing on that channel. One per
 * connector: refusals in a row on any channel back off together; a success resets them.
 */
export class SubscriptionRetry {
  private readonly backoff: Backoff;
  constructor(
    private readonly timers: Timers,
    random?: () => number,
  ) {
    this.backoff = new Backoff(RESUBSCRIBE_BACKOFF, random);
  }

  succeeded(): void {
    this.backoff.succeeded();
  }

  /**
   * Subscribes the channel again after the backoff, unless the client was replaced (`current`),
   * the link is down (pusher-js resubscribes every channel on connect), or the channel was
   * subscribed or left meanwhile.
   */
  later(pusher: Pusher, channel: Channel, current: () => Pusher | null): void {
    const timer = this.timers.setTimeout(() => {
      if (current() === pusher && pusher.connection.state === 'connected' && !channel.subscribed && pusher.channel(channel.name) === channel) channel.subscribe();
    }, this.backoff.failed());
    unref(timer);
  }
}

/** Binds an event whose payload is checked first; malformed payloads are skipped and reported. */
export function bindParsed<T extends z.ZodType>(channel: Channel, event: string, schema: T, warn: (message: string) => void, handler: (data: z.output<T>) => void): void {
  channel.bind(event, (raw: unknown) => {
    let data = raw;
    if (typeof raw === 'string') {
      try {
        data = JSON.parse(raw);
      } catch {
        data = undefined;
      }
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      warn(`Skipped a malformed "${event}" event on ${channel.name}.`);
      return;
    }
    handler(parsed.data);
  });
}
