// The deployed flavour's Pusher link (pusher-link.ts) over a fake of the pusher-js client and
// fake timers, both constructor arguments (tests/support/fake-pusher.ts): what the SDK is asked
// for, the link states the account shows, how fast a lost link is probed, and checked event
// payloads. The real SDK against the reference Pusher-protocol server is covered by
// tests/integration/portfolio-deployed.test.ts and portfolio-faults.test.ts.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Channel } from 'pusher-js';
import { bindParsed, connectPusher, FAST_PROBE_MAX_MS, FAST_PROBES_FOR_MS, PROBE_BACKOFF, type Authorize } from '../../src/main/core/connectors/portfolio/pusher-link';
import { FakeTimers } from '../support/fake-timers';
import { fakePusherFactory, FakePusher } from '../support/fake-pusher';
import { recordingSink } from '../support/recording-sink';

const UNREACHABLE = 'The realtime server cannot be reached; retrying.';

function link(settings: Parameters<typeof connectPusher>[0] = { key: 'app-key', cluster: 'ap1' }, authorize: Authorize = async () => ({ auth: 'a:b' }), random = () => 1) {
  const timers = new FakeTimers(1_000_000);
  const pusher = fakePusherFactory();
  const rec = recordingSink();
  const client = connectPusher(settings, rec.sink, authorize, { createPusher: pusher.create, timers, clock: () => timers.now, random });
  const fake = pusher.last();
  return { client, fake, timers, ...rec };
}

describe('connectPusher: what the SDK is asked for', () => {
  it('Pusher cloud: the key and cluster, TLS, WebSocket only, no stats', () => {
    const { fake, client } = link();
    expect(client as unknown).toBe(fake);
    expect(fake.key).toBe('app-key');
    expect(fake.options).toMatchObject({ cluster: 'ap1', forceTLS: true, enabledTransports: ['ws', 'wss'], disableStats: true });
    expect(fake.options).not.toHaveProperty('wsHost');
    expect(fake.options).not.toHaveProperty('wsPort');
    expect(fake.authorization).toMatchObject({ endpoint: '/api/pusher/auth', transport: 'ajax' });
  });

  it('a self-hosted server: its host and one port for ws and wss, TLS as given', () => {
    const { fake } = link({ key: 'k', cluster: 'mt1', wsHost: '127.0.0.1', wsPort: 6001, forceTLS: false });
    expect(fake.options).toMatchObject({ wsHost: '127.0.0.1', wsPort: 6001, wssPort: 6001, forceTLS: false });
  });

  it('channel auth goes through the caller: its answer, or its failure as an Error', async () => {
    const asked: string[][] = [];
    const { fake } = link(undefined, async (socketId, channel) => {
      asked.push([socketId, channel]);
      if (channel === 'private-no') throw 'refused';
      if (channel === 'private-err') throw new Error('auth 500');
      return { auth: 'key:sig', channel_data: '{"user_id":1}' };
    });
    const handler = fake.authorization.customHandler!;
    const ask = (channelName: string) => new Promise<unknown[]>((resolve) => handler({ socketId: '1.2', channelName }, (e, a) => resolve([e, a])));
    const answers = [await ask('private-ok'), await ask('private-no'), await ask('private-err')];
    expect(asked).toEqual([['1.2', 'private-ok'], ['1.2', 'private-no'], ['1.2', 'private-err']]);
    expect(answers[0]).toEqual([null, { auth: 'key:sig', channel_data: '{"user_id":1}' }]);
    expect(answers[1]![0]).toBeInstanceOf(Error);
    expect((answers[1]![0] as Error).message).toBe('refused');
    expect(answers[1]![1]).toBeNull();
    expect((answers[2]![0] as Error).message).toBe('auth 500');
  });
});

describe('connectPusher: link states', () => {
  it('connecting, then connected; failed is named as a transport this system cannot use', () => {
    const { fake, of } = link();
    fake.connection.to('connecting');
    fake.connection.to('connected');
    fake.connection.to('failed');
    expect(of('link')).toEqual([['connecting'], ['connected'], ['unavailable', 'This system cannot use the realtime transport.']]);
  });

  it('unavailable at once when the SDK says so, and after 10 s of connecting', () => {
    const { fake, timers, of, clear } = link();
    fake.connection.to('unavailable');
    expect(of('link')).toEqual([['unavailable', UNREACHABLE]]);
    fake.connection.to('connected');
    clear();
    fake.connection.to('connecting');
    timers.sleep(10_000);
    fake.connection.to('connecting');
    timers.sleep(1);
    fake.connection.to('connecting');
    expect(of('link')).toEqual([['connecting'], ['connecting'], ['unavailable', UNREACHABLE]]);
  });

  it('the 10 s count from the first attempt, and it starts again once connected', () => {
    const { fake, timers, of, clear } = link();
    fake.connection.to('connecting');
    timers.sleep(6000);
    fake.connection.to('connected');
    clear();
    fake.connection.to('connecting');
    timers.sleep(6000);
    fake.connection.to('connecting');
    expect(of('link')).toEqual([['connecting'], ['connecting']]);
  });

  it('4009 from the server means sign in again; other 40xx refusals say why; the rest is pusher-js retrying', () => {
    const { fake, of } = link();
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
});

describe('connectPusher: probing a lost link', () => {
  it('restarts the attempt after 1 s three times, then twice as late each time (the ceiling with this jitter), until connected', () => {
    const { fake, timers } = link();
    fake.connection.to('connecting');
    expect(timers.count).toBe(1);
    timers.advance(PROBE_BACKOFF.baseMs - 1);
    expect(fake.connects).toBe(0);
    timers.advance(1);
    expect([fake.disconnects, fake.connects]).toEqual([1, 1]);
    expect(fake.connection.state).toBe('connecting');
    expect(timers.count).toBe(1);
    timers.advance(PROBE_BACKOFF.baseMs);
    expect(fake.connects).toBe(2);
    timers.advance(PROBE_BACKOFF.baseMs);
    expect(fake.connects).toBe(3);
    timers.advance(2 * PROBE_BACKOFF.baseMs - 1);
    expect(fake.connects).toBe(3);
    timers.advance(1);
    expect(fake.connects).toBe(4);
    timers.advance(4 * PROBE_BACKOFF.baseMs);
    expect(fake.connects).toBe(5);
    fake.connection.to('connected');
    timers.advance(PROBE_BACKOFF.maxMs);
    expect(fake.connects).toBe(5);
    expect(timers.count).toBe(0);
  });

  it('a server gone: at most 4 s between attempts for its first minute, then one per 30 s (was one per 2 s)', () => {
    const { fake, timers } = link();
    fake.connection.to('unavailable');
    // 1+1+1+2+4 s, then capped at 4 s while the outage is younger than a minute.
    timers.advance(FAST_PROBES_FOR_MS);
    expect(fake.connects).toBe(5 + Math.floor((FAST_PROBES_FOR_MS - 9000) / FAST_PROBE_MAX_MS));
    timers.advance(60_000);
    const before = fake.connects;
    timers.advance(10 * 60_000);
    expect(fake.connects - before).toBe(20);
    expect(timers.count).toBe(1);
  });

  it('after a success the next loss waits the first delay again; jitter takes at most half off', () => {
    const { fake, timers } = link(undefined, undefined, () => 0);
    fake.connection.to('unavailable');
    timers.advance(PROBE_BACKOFF.baseMs / 2);
    expect(fake.connects).toBe(1);
    timers.advance(PROBE_BACKOFF.baseMs / 2);
    expect(fake.connects).toBe(2);
    fake.connection.to('connected');
    // The probe already armed finds the link up and leaves it alone.
    timers.advance(PROBE_BACKOFF.maxMs);
    expect(fake.connects).toBe(2);
    fake.connection.to('connecting');
    timers.advance(PROBE_BACKOFF.baseMs / 2 - 1);
    expect(fake.connects).toBe(2);
    timers.advance(1);
    expect(fake.connects).toBe(3);
  });

  it('one probe at a time, and none once the link is up or closed by us', () => {
    const { fake, timers } = link();
    fake.connection.to('connecting');
    fake.connection.to('unavailable');
    fake.connection.to('connecting');
    expect(timers.count).toBe(1);
    // The state moved on before the probe fired: nothing to restart.
    fake.connection.state = 'connected';
    timers.advance(PROBE_BACKOFF.maxMs);
    expect(fake.connects).toBe(0);
    fake.connection.to('connecting');
    expect(timers.count).toBe(1);
    fake.connection.to('disconnected');
    expect(timers.count).toBe(0);
    // A disconnect with no probe pending changes nothing.
    fake.connection.to('disconnected');
    expect(timers.count).toBe(0);
  });
});

describe('bindParsed', () => {
  const Event = z.object({ n: z.number() });
  function channel() {
    const fake = new FakePusher('k', {} as never);
    const ch = fake.subscribe('private-x');
    const warned: string[] = [];
    const got: unknown[] = [];
    bindParsed(ch as unknown as Channel, 'thing', Event, (m) => warned.push(m), (d) => got.push(d));
    return { ch, warned, got };
  }

  it('passes a payload that fits, as an object or as JSON text', () => {
    const { ch, warned, got } = channel();
    ch.emit('thing', { n: 1, extra: true });
    ch.emit('thing', '{"n":2}');
    expect(got).toEqual([{ n: 1 }, { n: 2 }]);
    expect(warned).toEqual([]);
  });

  it('skips and reports one that does not, naming the event and the channel', () => {
    const { ch, warned, got } = channel();
    ch.emit('thing', { n: 'one' });
    ch.emit('thing', 'not json');
    ch.emit('thing', '"3"');
    ch.emit('thing', undefined);
    expect(got).toEqual([]);
    expect(warned).toEqual(Array(4).fill('Skipped a malformed "thing" event on private-x.'));
  });
});
