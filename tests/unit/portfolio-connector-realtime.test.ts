// The plan's portfolio connector, realtime side (backends.md §1): what it asks pusher-js for, the
// link states the account shows, probing a lost link, the admin and conversation channels'
// events as the sink receives them, refused subscriptions (sign in again, or retry with backoff),
// presence and typing. pusher-js and the timers are fakes passed to the constructor
// (tests/support/fake-pusher.ts, fake-timers.ts); the real SDK against the reference
// Pusher-protocol server is covered by tests/integration/portfolio-sync.test.ts,
// portfolio-faults.test.ts and realtime-ghosts.test.ts.
import { describe, expect, it } from 'vitest';
import { ADMIN_CHANNEL, PRESENCE_CHANNEL, PortfolioConnector, type PortfolioConnectorOptions } from '../../src/main/core/connectors/portfolio/portfolio-connector';
import { FAST_PROBE_MAX_MS, FAST_PROBES_FOR_MS, PROBE_BACKOFF } from '../../src/main/core/connectors/portfolio/pusher-link';
import { FakeTimers } from '../support/fake-timers';
import { fakePusherFactory } from '../support/fake-pusher';
import { recordingSink } from '../support/recording-sink';

const UNREACHABLE = 'The realtime server cannot be reached; retrying.';
const T = '2026-12-01T10:00:00.000Z';
const conv = (id: string) => `private-conversation-${id}`;

function setup(over: Partial<PortfolioConnectorOptions> = {}) {
  const timers = new FakeTimers(1_000_000);
  const pushers = fakePusherFactory();
  const token = { value: 'jwt-1' as string | undefined };
  const c = new PortfolioConnector({
    baseUrl: 'https://chat.example.com/',
    pusher: { key: 'app-key', cluster: 'mt1' },
    extensions: true,
    token: () => token.value,
    createPusher: pushers.create,
    timers,
    clock: () => timers.now,
    random: () => 1,
    ...over,
  });
  return { c, pushers, timers, token, ...recordingSink() };
}

/** Connected, with the admin channel subscribed and the calls so far cleared. */
async function live(over: Partial<PortfolioConnectorOptions> = {}) {
  const s = setup(over);
  await s.c.connect(s.sink);
  const fake = s.pushers.last();
  fake.connection.to('connected');
  fake.ch(ADMIN_CHANNEL).succeed();
  s.clear();
  return { ...s, fake };
}

describe('portfolio connector: the Pusher client', () => {
  it('Pusher cloud by default: key, cluster, TLS, WebSocket only, no stats; channel auth at the site with the Bearer token', async () => {
    const { c, pushers, sink, token } = setup();
    await c.connect(sink);
    const fake = pushers.last();
    expect(fake.key).toBe('app-key');
    expect(fake.options).toMatchObject({ cluster: 'mt1', forceTLS: true, enabledTransports: ['ws', 'wss'], disableStats: true });
    expect(fake.options).not.toHaveProperty('wsHost');
    expect(fake.options).not.toHaveProperty('wsPort');
    const auth = fake.authorization;
    expect(auth).toMatchObject({ endpoint: 'https://chat.example.com/api/pusher/auth', transport: 'ajax' });
    expect(auth.headersProvider!()).toEqual({ Authorization: 'Bearer jwt-1' });
    token.value = 'jwt-2';
    expect(auth.headersProvider!()).toEqual({ Authorization: 'Bearer jwt-2' });
    token.value = undefined;
    expect(auth.headersProvider!()).toEqual({ Authorization: 'Bearer ' });
  });

  it('the SDK loads on the first connect; a disconnect while it loads leaves no client behind', async () => {
    const pushers = fakePusherFactory();
    let loaded!: (f: typeof pushers.create) => void;
    let loads = 0;
    const loadPusher = () => {
      loads++;
      return new Promise<typeof pushers.create>((resolve) => (loaded = resolve));
    };
    const { c, sink } = setup({ createPusher: undefined, loadPusher });
    const connecting = c.connect(sink);
    await Promise.resolve();
    expect(loads).toBe(1);
    await c.disconnect();
    loaded(pushers.create);
    await connecting;
    expect(pushers.made).toHaveLength(0);
    // Connected again once it has loaded: one client, the admin channel joined.
    const again = c.connect(sink);
    await Promise.resolve();
    await Promise.resolve();
    loaded(pushers.create);
    await again;
    expect(pushers.made).toHaveLength(1);
    expect([...pushers.last().channels.keys()]).toContain(ADMIN_CHANNEL);
  });

  it('a self-hosted server: its host, one port for ws and wss, TLS as configured', async () => {
    const { c, pushers, sink } = setup({ pusher: { key: 'k', cluster: 'mt1', wsHost: '127.0.0.1', wsPort: 6001, forceTLS: false } });
    await c.connect(sink);
    expect(pushers.last().options).toMatchObject({ wsHost: '127.0.0.1', wsPort: 6001, wssPort: 6001, forceTLS: false });
  });

  it('joins the admin and presence channels on connect; not presence when the owner is away', async () => {
    const a = setup();
    await a.c.connect(a.sink);
    expect([...a.pushers.last().channels.keys()]).toEqual([ADMIN_CHANNEL, PRESENCE_CHANNEL]);
    const b = setup();
    await b.c.setAvailability('offline');
    await b.c.connect(b.sink);
    expect([...b.pushers.last().channels.keys()]).toEqual([ADMIN_CHANNEL]);
  });

  it('connect again closes the old client first, and the account shows offline in between', async () => {
    const { c, pushers, sink, of } = setup();
    await c.connect(sink);
    await c.connect(sink);
    expect(pushers.made).toHaveLength(2);
    expect(pushers.made[0]!.disconnects).toBe(1);
    expect(pushers.made[1]!.disconnects).toBe(0);
    expect(of('link')).toEqual([['offline']]);
    await c.disconnect();
    expect(pushers.made[1]!.disconnects).toBe(1);
    expect(of('link')).toEqual([['offline'], ['offline']]);
  });
});

describe('portfolio connector: link states', () => {
  it('connecting, connected, and failed named as a transport this system cannot use', async () => {
    const { c, pushers, sink, of } = setup();
    await c.connect(sink);
    const fake = pushers.last();
    fake.connection.to('connecting');
    fake.connection.to('connected');
    fake.connection.to('failed');
    fake.connection.to('initialized');
    expect(of('link')).toEqual([['connecting'], ['connected'], ['unavailable', 'This system cannot use the realtime transport.']]);
  });

  it('unavailable when the SDK says so, and after more than 10 s down even while it says connecting', async () => {
    const { fake, timers, of, clear } = await live();
    fake.connection.to('unavailable');
    expect(of('link')).toEqual([['unavailable', UNREACHABLE]]);
    fake.connection.to('connecting');
    timers.sleep(10_000);
    fake.connection.to('connecting');
    timers.sleep(1);
    fake.connection.to('connecting');
    expect(of('link')).toEqual([['unavailable', UNREACHABLE], ['connecting'], ['connecting'], ['unavailable', UNREACHABLE]]);
    fake.connection.to('connected');
    clear();
    fake.connection.to('connecting');
    expect(of('link')).toEqual([['connecting']]);
  });

  it('the time down counts from the first attempt, and from the next loss after a reconnect', async () => {
    const { fake, timers, of } = await live();
    fake.connection.to('connecting');
    timers.sleep(6000);
    fake.connection.to('connected');
    fake.connection.to('unavailable');
    timers.sleep(6000);
    fake.connection.to('connecting');
    expect(of('link')).toEqual([['connecting'], ['connected'], ['unavailable', UNREACHABLE], ['connecting']]);
  });

  it('4009 means sign in again; other 40xx refusals say why; anything else is left to pusher-js', async () => {
    const { fake, of } = await live();
    fake.connection.error(4009, 'expired');
    fake.connection.error(4001, 'App disabled');
    fake.connection.error(4004);
    fake.connection.error(4000);
    fake.connection.error(4099);
    fake.connection.error(4100, 'over capacity');
    fake.connection.error(3999, 'x');
    fake.connection.emit('error', { type: 'WebSocketError' });
    fake.connection.emit('error', undefined);
    expect(of('link')).toEqual([
      ['auth-expired', 'The realtime server refused the sign-in.'],
      ['unavailable', 'App disabled'],
      ['unavailable', 'Refused (4004).'],
      ['unavailable', 'Refused (4000).'],
      ['unavailable', 'Refused (4099).'],
    ]);
  });
  it('a link that went unavailable counts its time down from then, not from the next attempt', async () => {
    const { fake, timers, of, clear } = await live();
    fake.connection.to('unavailable');
    clear();
    timers.sleep(10_001);
    fake.connection.to('connecting');
    expect(of('link')).toEqual([['unavailable', UNREACHABLE]]);
  });

  it('a disconnect forgets how long the link was down, and how many probes failed', async () => {
    const { c, sink, fake, timers, pushers, of, clear } = await live();
    fake.connection.to('connecting');
    timers.advance(2 * PROBE_BACKOFF.baseMs);
    expect(fake.connects).toBe(2);
    timers.sleep(11_000);
    await c.connect(sink);
    const next = pushers.last();
    clear();
    next.connection.to('connecting');
    expect(of('link')).toEqual([['connecting']]);
    timers.advance(PROBE_BACKOFF.baseMs);
    expect(next.connects).toBe(1);
  });

});

describe('portfolio connector: probing a lost link', () => {
  it('restarts the attempt after 1 s three times, then twice as late each time, until connected; then the first delay again', async () => {
    const { fake, timers } = await live();
    fake.connection.to('connecting');
    timers.advance(PROBE_BACKOFF.baseMs - 1);
    expect(fake.connects).toBe(0);
    timers.advance(1);
    expect([fake.disconnects, fake.connects, fake.connection.state]).toEqual([1, 1, 'connecting']);
    timers.advance(2 * PROBE_BACKOFF.baseMs);
    expect(fake.connects).toBe(3);
    timers.advance(2 * PROBE_BACKOFF.baseMs - 1);
    expect(fake.connects).toBe(3);
    timers.advance(1);
    expect(fake.connects).toBe(4);
    fake.connection.to('connected');
    timers.advance(PROBE_BACKOFF.maxMs);
    expect(fake.connects).toBe(4);
    expect(timers.count).toBe(0);
    fake.connection.to('unavailable');
    timers.advance(PROBE_BACKOFF.baseMs - 1);
    expect(fake.connects).toBe(4);
    timers.advance(1);
    expect(fake.connects).toBe(5);
  });

  it('a site gone for good: at most 4 s apart for the first minute, then one attempt per 30 s', async () => {
    const { fake, timers } = await live();
    fake.connection.to('unavailable');
    timers.advance(FAST_PROBES_FOR_MS - 1);
    expect(fake.connects).toBe(5 + Math.floor((FAST_PROBES_FOR_MS - 9000) / FAST_PROBE_MAX_MS));
    timers.advance(60_000);
    const before = fake.connects;
    timers.advance(10 * 60_000);
    expect(fake.connects - before).toBe(20);
  });

  it('one probe at a time; none after disconnect, nor for a client replaced by a new connect', async () => {
    const { c, sink, fake, timers, pushers } = await live();
    fake.connection.to('connecting');
    fake.connection.to('unavailable');
    expect(timers.count).toBe(1);
    await c.disconnect();
    expect(timers.count).toBe(0);
    fake.connection.to('connecting');
    expect(timers.count).toBe(0);

    await c.connect(sink);
    const next = pushers.last();
    next.connection.to('connecting');
    expect(timers.count).toBe(1);
    // A state change of the old client arms nothing.
    fake.connection.to('unavailable');
    expect(timers.count).toBe(1);
    // Connecting again clears the probe of the client it replaces.
    await c.connect(sink);
    expect(timers.count).toBe(0);
    timers.advance(PROBE_BACKOFF.maxMs);
    expect(next.connects).toBe(0);
  });

  it('a probe that finds the link up restarts nothing', async () => {
    const { fake, timers } = await live();
    fake.connection.to('connecting');
    fake.connection.state = 'connected';
    timers.advance(PROBE_BACKOFF.maxMs);
    expect(fake.connects).toBe(0);
  });
});

describe('portfolio connector: admin notifications', () => {
  it('a subscription reports the gap; new conversations, status and presence changes reach the sink', async () => {
    const { c, sink, pushers, calls, clear } = setup();
    await c.connect(sink);
    const fake = pushers.last();
    fake.connection.to('connected');
    clear();
    const admin = fake.ch(ADMIN_CHANNEL);
    admin.succeed();
    admin.emit('new-conversation', { conversationId: 5, visitorName: 'Ann', firstMessage: 'hi', createdAt: T });
    admin.emit('new-conversation', { conversationId: '6', createdAt: T });
    admin.emit('conversation-updated', { conversationId: 5, status: 'resolved' });
    admin.emit('visitor-online', { conversationId: 5, online: false });
    admin.emit('new-message-alert', { conversationId: 5, messagePreview: 'hello' });
    expect(calls).toEqual([
      ['gap', 'subscribed to admin notifications'],
      ['conversation', { remoteId: '5', visitorName: 'Ann', createdAt: Date.parse(T) }],
      ['stale', '5'],
      ['conversation', { remoteId: '6', visitorName: null, createdAt: Date.parse(T) }],
      ['stale', '6'],
      ['patch', '5', { serverStatus: 'resolved' }],
      ['patch', '5', { visitorOnline: false }],
      ['stale', '5'],
    ]);
  });

  it('a malformed event is skipped and reported', async () => {
    const { fake, calls } = await live();
    fake.ch(ADMIN_CHANNEL).emit('conversation-updated', { conversationId: 5, status: 'archived' });
    expect(calls).toEqual([['warn', `Skipped a malformed "conversation-updated" event on ${ADMIN_CHANNEL}.`]]);
  });

  it('a 401 or 403 on channel auth means sign in again, with no retry', async () => {
    const { fake, timers, of } = await live();
    fake.ch(ADMIN_CHANNEL).refuse(401);
    fake.ch(PRESENCE_CHANNEL).refuse(403);
    expect(of('link')).toEqual([
      ['auth-expired', 'The site refused the realtime sign-in; sign in again.'],
      ['auth-expired', 'The site refused the realtime sign-in; sign in again.'],
    ]);
    expect(of('warn')).toEqual([]);
    expect(timers.count).toBe(0);
  });

  it('another refusal is retried while connected, backing off from 2 s to 30 s, and reset by a success', async () => {
    const { fake, timers, of } = await live();
    const admin = fake.ch(ADMIN_CHANNEL);
    admin.refuse(500, 'site down');
    expect(of('warn')).toEqual([['Realtime subscription failed: site down; retrying']]);
    const attempts = admin.attempts;
    timers.advance(1999);
    expect(admin.attempts).toBe(attempts);
    timers.advance(1);
    expect(admin.attempts).toBe(attempts + 1);
    for (const wait of [4000, 8000, 16_000, 30_000, 30_000]) {
      admin.refuse(502);
      timers.advance(wait - 1);
      expect(admin.attempts).toBe(attempts + 1);
      timers.advance(1);
      expect(admin.attempts - attempts).toBe(2);
      admin.attempts = attempts + 1;
    }
    admin.succeed();
    admin.refuse(undefined, undefined);
    timers.advance(1999);
    expect(admin.attempts).toBe(attempts + 1);
    timers.advance(1);
    expect(admin.attempts).toBe(attempts + 2);
    expect(of('warn').slice(1, 3)).toEqual([['Realtime subscription failed: 502; retrying'], ['Realtime subscription failed: 502; retrying']]);
    expect(of('warn').at(-1)).toEqual(['Realtime subscription failed: unknown; retrying']);
  });

  it('a retry is skipped once the link is down, the channel subscribed or left, or the client replaced', async () => {
    const { c, sink, fake, timers, pushers } = await live();
    const presence = fake.ch(PRESENCE_CHANNEL);
    // Down: pusher-js resubscribes on connect by itself.
    presence.refuse(500);
    fake.connection.state = 'connecting';
    timers.advance(30_000);
    expect(presence.attempts).toBe(1);
    fake.connection.state = 'connected';
    // Subscribed meanwhile.
    presence.refuse(500);
    presence.subscribed = true;
    timers.advance(30_000);
    expect(presence.attempts).toBe(1);
    presence.subscribed = false;
    // Left (the owner went away) and joined again: the new channel is not the refused one.
    presence.refuse(500);
    await c.setAvailability('offline');
    await c.setAvailability('online');
    const rejoined = fake.ch(PRESENCE_CHANNEL);
    expect(rejoined).not.toBe(presence);
    const before = rejoined.attempts;
    timers.advance(30_000);
    expect(presence.attempts).toBe(1);
    expect(rejoined.attempts).toBe(before);
    // Replaced by a new connect.
    rejoined.refuse(500);
    await c.connect(sink);
    timers.advance(30_000);
    expect(rejoined.attempts).toBe(before);
    expect(pushers.made).toHaveLength(2);
  });
});

describe('portfolio connector: open conversations', () => {
  it('subscribes only the conversations watched, leaves the ones closed, and fetches on each subscription', async () => {
    const { c, fake, calls, clear } = await live();
    c.watch(['7', '8']);
    expect([...fake.channels.keys()]).toEqual([ADMIN_CHANNEL, PRESENCE_CHANNEL, conv('7'), conv('8')]);
    c.watch(['8', '9']);
    expect(fake.unsubscribed).toEqual([conv('7')]);
    expect([...fake.channels.keys()]).toEqual([ADMIN_CHANNEL, PRESENCE_CHANNEL, conv('8'), conv('9')]);
    clear();
    fake.ch(conv('8')).succeed();
    fake.ch(conv('8')).succeed();
    expect(calls).toEqual([['stale', '8'], ['stale', '8']]);
  });

  it('a conversation opened before connecting is subscribed on connect, and again after a reconnect', async () => {
    const { c, sink, pushers } = setup();
    c.watch(['7']);
    await c.connect(sink);
    expect(pushers.last().channels.has(conv('7'))).toBe(true);
    await c.connect(sink);
    expect(pushers.last().channels.has(conv('7'))).toBe(true);
    c.watch([]);
    await c.connect(sink);
    expect(pushers.last().channels.has(conv('7'))).toBe(false);
  });

  it('its messages, read receipts and typing reach the sink', async () => {
    const { c, fake, calls } = await live();
    c.watch(['7']);
    const ch = fake.ch(conv('7'));
    ch.emit('new-message', { id: 11, conversationId: 7, content: 'Hello', senderType: 'visitor', createdAt: T });
    ch.emit('message-read', { messageIds: [11, '12'], readAt: T });
    ch.emit('message-read', { messageIds: [13], readAt: T, readerType: 'admin' });
    ch.emit('client-typing', { senderType: 'visitor', isTyping: true });
    ch.emit('client-typing', { senderType: 'visitor', isTyping: 'yes' });
    expect(calls).toEqual([
      ['messages', '7', [{ remoteId: '11', clientId: null, seq: 11, senderType: 'visitor', senderId: null, content: 'Hello', createdAt: Date.parse(T), readAt: null }]],
      ['read', '7', ['11', '12'], Date.parse(T), 'visitor'],
      ['read', '7', ['13'], Date.parse(T), 'admin'],
      ['typing', '7', 'visitor', true],
      ['warn', `Skipped a malformed "client-typing" event on ${conv('7')}.`],
    ]);
  });

  it('an alert for a message the open channel brought is not fetched again; one it never brought is', async () => {
    const { c, fake, of, timers } = await live();
    const admin = fake.ch(ADMIN_CHANNEL);
    c.watch(['7']);
    const ch = fake.ch(conv('7'));
    // Not subscribed yet: every alert is fetched.
    ch.emit('new-message', { id: 1, content: 'first question', senderType: 'visitor', createdAt: T });
    admin.emit('new-message-alert', { conversationId: 7, messagePreview: 'first' });
    expect(of('stale')).toEqual([['7']]);
    ch.succeed();
    ch.emit('new-message', { id: 2, content: 'second question', senderType: 'visitor', createdAt: T });
    ch.emit('new-message', { id: 3, content: 'our answer', senderType: 'admin', createdAt: T });
    admin.emit('new-message-alert', { conversationId: 7, messagePreview: 'second' });
    admin.emit('new-message-alert', { conversationId: 7, messagePreview: 'our answer' });
    expect(of('stale')).toEqual([['7'], ['7'], ['7']]);
    // Past the wait, a delivered message no longer matches.
    ch.emit('new-message', { id: 4, content: 'third', senderType: 'visitor', createdAt: T });
    timers.sleep(60_001);
    admin.emit('new-message-alert', { conversationId: 7, messagePreview: 'third' });
    expect(of('stale')).toHaveLength(4);
  });

  it('a resubscription forgets what was delivered: the fetch it starts brings it', async () => {
    const { c, fake, of } = await live();
    const admin = fake.ch(ADMIN_CHANNEL);
    c.watch(['7']);
    const ch = fake.ch(conv('7'));
    ch.succeed();
    ch.emit('new-message', { id: 2, content: 'hello', senderType: 'visitor', createdAt: T });
    ch.succeed();
    admin.emit('new-message-alert', { conversationId: 7, messagePreview: 'hello' });
    expect(of('stale')).toEqual([['7'], ['7'], ['7']]);
  });

  it('a refused conversation channel: sign in again on 403, a retry otherwise', async () => {
    const { c, fake, of, timers } = await live();
    c.watch(['7', '8']);
    fake.ch(conv('7')).refuse(403);
    expect(of('link')).toEqual([['auth-expired', 'The site refused the realtime sign-in; sign in again.']]);
    const ch = fake.ch(conv('8'));
    ch.refuse(500, 'busy');
    const attempts = ch.attempts;
    timers.advance(2000);
    expect(ch.attempts).toBe(attempts + 1);
    expect(of('warn')).toEqual([['Realtime subscription failed: busy; retrying']]);
  });

  it('a conversation channel that subscribes resets the retry backoff too', async () => {
    const { c, fake, timers } = await live();
    c.watch(['7']);
    const ch = fake.ch(conv('7'));
    ch.refuse(500);
    timers.advance(2000);
    ch.refuse(500);
    timers.advance(4000);
    ch.succeed();
    ch.refuse(500);
    const attempts = ch.attempts;
    timers.advance(1999);
    expect(ch.attempts).toBe(attempts);
    timers.advance(1);
    expect(ch.attempts).toBe(attempts + 1);
  });

  it('a refusal that arrives after disconnect is reported and not retried', async () => {
    const { c, fake, timers, of } = await live();
    await c.disconnect();
    fake.ch(ADMIN_CHANNEL).refuse(500, 'late');
    expect(of('warn')).toEqual([['Realtime subscription failed: late; retrying']]);
    expect(timers.count).toBe(0);
  });

  it('typing is sent on a subscribed conversation only', async () => {
    const { c, fake } = await live();
    c.sendTyping('7', true);
    c.watch(['7']);
    c.sendTyping('7', true);
    const ch = fake.ch(conv('7'));
    ch.succeed();
    c.sendTyping('7', true);
    c.sendTyping('7', false);
    expect(ch.triggered).toEqual([
      { event: 'client-typing', data: { senderType: 'admin', isTyping: true } },
      { event: 'client-typing', data: { senderType: 'admin', isTyping: false } },
    ]);
    await c.disconnect();
    c.sendTyping('7', true);
    expect(ch.triggered).toHaveLength(2);
  });
});

describe('portfolio connector: availability', () => {
  it('away leaves the presence channel; back joins it again unless still subscribed', async () => {
    const { c, fake, of } = await live();
    const presence = fake.ch(PRESENCE_CHANNEL);
    presence.succeed();
    await c.setAvailability('online');
    expect(fake.ch(PRESENCE_CHANNEL)).toBe(presence);
    // Joined once: a refusal is reported once.
    presence.refuse(401);
    expect(of('link')).toHaveLength(1);
    await c.setAvailability('offline');
    expect(fake.unsubscribed).toEqual([PRESENCE_CHANNEL]);
    expect(fake.channels.has(PRESENCE_CHANNEL)).toBe(false);
    await c.setAvailability('online');
    expect(fake.channels.has(PRESENCE_CHANNEL)).toBe(true);
    // The rejoined channel's refusals are handled too.
    fake.ch(PRESENCE_CHANNEL).refuse(401);
    expect(of('link')).toHaveLength(2);
  });

  it('before connecting it is only remembered', async () => {
    const { c, sink, pushers } = setup();
    await c.setAvailability('offline');
    await c.setAvailability('online');
    await c.connect(sink);
    expect(pushers.last().channels.has(PRESENCE_CHANNEL)).toBe(true);
    await c.disconnect();
    await c.setAvailability('offline');
    expect(pushers.last().unsubscribed).toEqual([]);
  });
});
