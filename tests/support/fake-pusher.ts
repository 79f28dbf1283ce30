// An in-process stand-in for the pusher-js client (the official SDK), handed to the portfolio
// connectors as their `createPusher` constructor argument, so unit tests can drive the link's
// states, channel subscriptions and events without a socket. It mirrors the SDK's rules the
// connectors rely on: subscribe() returns the channel already there, channels subscribe on
// 'connected' and drop their subscription on 'disconnected', a channel with a customHandler is
// authorised through it first. The real SDK against the reference Pusher-protocol server is
// covered by tests/integration/portfolio-{sync,deployed,faults}.test.ts.
import type { ChannelAuthorizationHandler, default as Pusher, Options } from 'pusher-js';
import type { PusherFactory } from '../../src/main/core/connectors/portfolio/pusher-link';

type Handler = (data: unknown) => void;

class Emitter {
  private readonly handlers = new Map<string, Handler[]>();

  bind(event: string, fn: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }

  emit(event: string, data?: unknown): void {
    for (const fn of this.handlers.get(event) ?? []) fn(data);
  }

  bound(event: string): number {
    return this.handlers.get(event)?.length ?? 0;
  }
}

export class FakeConnection extends Emitter {
  state = 'initialized';

  constructor(private readonly owner: FakePusher) {
    super();
  }

  /** What the SDK does on a state change; 'connected' subscribes every channel. */
  to(state: string): void {
    const previous = this.state;
    this.state = state;
    if (state === 'disconnected') for (const c of this.owner.channels.values()) c.dropped();
    this.emit('state_change', { previous, current: state });
    if (state === 'connected') for (const c of this.owner.channels.values()) c.subscribe();
  }

  /** A pusher:error frame from the server. */
  error(code: number, message?: string): void {
    this.emit('error', { type: 'PusherError', data: { code, ...(message === undefined ? {} : { message }) } });
  }
}

export class FakeChannel extends Emitter {
  subscribed = false;
  subscriptionPending = false;
  /** subscribe() calls that started an attempt. */
  attempts = 0;
  /** What the customHandler answered for the last attempt. */
  auth: { auth: string; channel_data?: string } | null = null;
  readonly triggered: { event: string; data: unknown }[] = [];

  constructor(
    readonly name: string,
    private readonly owner: FakePusher,
  ) {
    super();
  }

  subscribe(): void {
    if (this.subscribed) return;
    this.subscriptionPending = true;
    this.attempts++;
    const handler = this.owner.authorization.customHandler;
    if (!handler) return;
    handler({ socketId: this.owner.socketId, channelName: this.name }, (error, auth) => {
      if (error) {
        this.subscriptionPending = false;
        this.emit('pusher:subscription_error', { type: 'AuthError', error: error.message });
      } else this.auth = auth as { auth: string; channel_data?: string };
      this.owner.settled();
    });
  }

  /** The server confirmed the subscription. */
  succeed(): void {
    this.subscriptionPending = false;
    this.subscribed = true;
    this.emit('pusher:subscription_succeeded', {});
  }

  /** The server (or the auth endpoint) refused it. */
  refuse(status?: number, error?: string): void {
    this.subscriptionPending = false;
    this.subscribed = false;
    this.emit('pusher:subscription_error', { type: 'AuthError', ...(status === undefined ? {} : { status }), ...(error === undefined ? {} : { error }) });
  }

  dropped(): void {
    this.subscribed = false;
    this.subscriptionPending = false;
  }

  trigger(event: string, data: unknown): boolean {
    this.triggered.push({ event, data });
    return true;
  }
}

export class FakePusher {
  readonly connection: FakeConnection = new FakeConnection(this);
  readonly channels = new Map<string, FakeChannel>();
  readonly unsubscribed: string[] = [];
  socketId = '123.456';
  disconnects = 0;
  connects = 0;
  private waiters: (() => void)[] = [];

  constructor(
    readonly key: string,
    readonly options: Options,
  ) {}

  /** The channelAuthorization the client was given (either of the SDK's two shapes). */
  get authorization(): { endpoint?: string; transport?: string; headersProvider?: () => Record<string, string>; customHandler?: ChannelAuthorizationHandler } {
    return (this.options.channelAuthorization ?? {}) as FakePusher['authorization'];
  }

  subscribe(name: string): FakeChannel {
    let channel = this.channels.get(name);
    if (!channel) this.channels.set(name, (channel = new FakeChannel(name, this)));
    if (!channel.subscriptionPending && this.connection.state === 'connected') channel.subscribe();
    return channel;
  }

  unsubscribe(name: string): void {
    const channel = this.channels.get(name);
    this.channels.delete(name);
    channel?.dropped();
    this.unsubscribed.push(name);
  }

  channel(name: string): FakeChannel | undefined {
    return this.channels.get(name);
  }

  disconnect(): void {
    this.disconnects++;
    this.connection.to('disconnected');
  }

  connect(): void {
    this.connects++;
    this.connection.to('connecting');
  }

  /** Resolves once a customHandler answered (channel auth is asynchronous). */
  nextAuth(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  settled(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The channel, which must exist. */
  ch(name: string): FakeChannel {
    const channel = this.channels.get(name);
    if (!channel) throw new Error(`no channel ${name} (have ${[...this.channels.keys()].join(', ')})`);
    return channel;
  }
}

/** A factory that keeps every client it made, newest last. */
export function fakePusherFactory(): { create: PusherFactory; made: FakePusher[]; last: () => FakePusher } {
  const made: FakePusher[] = [];
  const create: PusherFactory = (key, options) => {
    const p = new FakePusher(key, options);
    made.push(p);
    return p as unknown as Pusher;
  };
  return {
    create,
    made,
    last: () => {
      const p = made.at(-1);
      if (!p) throw new Error('no Pusher client was made');
      return p;
    },
  };
}

