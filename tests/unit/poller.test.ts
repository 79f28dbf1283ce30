// Polling for kinds without an account-wide realtime channel: the interval tightens while the
// window is focused and backs off while nothing changes, within its bounds.
import { describe, expect, it } from 'vitest';
import { Poller } from '../../src/main/core/sync/poller';
import { FakeTimers } from '../support/fake-timers';

const intervals = { focusedMs: 5_000, backgroundMs: 20_000, maxFocusedMs: 30_000, maxBackgroundMs: 120_000 };

function setUp() {
  const timers = new FakeTimers(1_000_000);
  const polls: number[] = [];
  const poller = new Poller({ timers, clock: () => timers.now, intervals, poll: () => polls.push(timers.now) });
  poller.start();
  return { timers, polls, poller };
}

describe('Poller', () => {
  it('backs off while nothing changes, up to the background maximum, and tightens again on a change', () => {
    const { timers, polls, poller } = setUp();
    const waits: number[] = [];
    let last = timers.now;
    poller.polled(false);
    for (let i = 0; i < 5; i++) {
      timers.advance(200_000);
      waits.push(polls.at(-1)! - last);
      last = polls.at(-1)!;
      timers.now = last; // the poll's catch-up ends at once
      poller.polled(false);
    }
    expect(waits).toEqual([40_000, 80_000, 120_000, 120_000, 120_000]);
    poller.polled(true);
    const before = polls.length;
    timers.advance(20_000);
    expect(polls.length).toBe(before + 1);
  });

  it('polls at once when the window gains focus after a long wait, then every 5 s while things change', () => {
    const { timers, polls, poller } = setUp();
    poller.polled(false);
    timers.advance(10_000);
    expect(polls).toEqual([]);
    poller.setFocused(true);
    expect(polls).toHaveLength(1);
    poller.polled(true);
    timers.advance(5_000);
    expect(polls).toHaveLength(2);
    poller.polled(false);
    timers.advance(9_999);
    expect(polls).toHaveLength(2);
    timers.advance(1);
    expect(polls).toHaveLength(3);
  });

  it('does not poll again at once when focus comes back soon after a poll, and never after stop', () => {
    const { timers, polls, poller } = setUp();
    poller.polled(true);
    timers.advance(1_000);
    poller.setFocused(true);
    expect(polls).toEqual([]);
    timers.advance(4_000);
    expect(polls).toHaveLength(1);
    poller.polled(true);
    poller.stop();
    timers.advance(1_000_000);
    expect(polls).toHaveLength(1);
  });

  it('without intervals it polls every 20 s in the background', () => {
    const timers = new FakeTimers(1_000_000);
    const polls: number[] = [];
    const poller = new Poller({ timers, clock: () => timers.now, poll: () => polls.push(timers.now) });
    poller.start();
    poller.polled(true);
    timers.advance(19_999);
    expect(polls).toEqual([]);
    timers.advance(1);
    expect(polls).toEqual([1_020_000]);
  });

  it('focus changes before start schedule nothing; a repeated focus does not poll twice', () => {
    const timers = new FakeTimers(1_000_000);
    const polls: number[] = [];
    const poller = new Poller({ timers, clock: () => timers.now, intervals, poll: () => polls.push(timers.now) });
    poller.setFocused(true);
    poller.setFocused(false);
    expect(timers.count).toBe(0);
    expect(polls).toEqual([]);
    poller.start();
    poller.setFocused(true);
    expect(polls).toHaveLength(1); // never polled: it has waited long enough
    poller.setFocused(true);
    expect(polls).toHaveLength(1);
  });

  it('focus exactly the focused interval after a poll polls at once; losing focus waits the background interval', () => {
    const { timers, polls, poller } = setUp();
    poller.polled(true);
    timers.advance(5_000 - 1);
    timers.now += 1;
    poller.setFocused(true);
    expect(polls).toHaveLength(1);
    poller.polled(true);
    poller.setFocused(false);
    timers.advance(19_999);
    expect(polls).toHaveLength(1);
    timers.advance(1);
    expect(polls).toHaveLength(2);
  });

  it('gaining focus forgets how long nothing changed', () => {
    const { timers, polls, poller } = setUp();
    for (let i = 0; i < 3; i++) poller.polled(false);
    timers.advance(1_000);
    poller.setFocused(true);
    expect(polls).toEqual([]);
    timers.advance(4_000);
    expect(polls).toHaveLength(1);
  });
});
