// The notification center end to end with fakes for every port: what the OS would show, what
// would sound, and what the decision log says, while a fake clock drives every timer.
import { describe, expect, it } from 'vitest';
import { DecisionLog, MemoryDecisionLogStore } from '../../src/main/core/notifications/decision-log';
import { NotificationCenter, type IncomingVisitorMessage } from '../../src/main/core/notifications/notification-center';
import type { ConversationFact, NotificationPrefs, ShownNotification } from '../../src/main/core/notifications/types';
import { FakeTimers } from '../support/fake-timers';

const DAY = Date.UTC(2030, 0, 15);
const HOUR = 3_600_000;
const SECOND = 1_000;
/** An instant at HH:MM local time on the test day (local = UTC + offset). */
const localTime = (hhmm: string, offsetMinutes = 0): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return DAY + ((h ?? 0) * 60 + (m ?? 0) - offsetMinutes) * 60_000;
};

const basePrefs: NotificationPrefs = {
  enabled: true,
  sound: 'chime',
  volume: 0.6,
  repeatSeconds: 0,
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  doNotDisturb: false,
  availability: 'online',
  language: 'en',
};

const fact = (overrides: Partial<ConversationFact> = {}): ConversationFact => ({ accountId: 1, visitorName: 'Ana', muted: false, status: 'active', ...overrides });

function setup(options: { prefs?: Partial<NotificationPrefs>; at?: string; offsetMinutes?: number } = {}) {
  const offset = { minutes: options.offsetMinutes ?? 0 };
  const timers = new FakeTimers(localTime(options.at ?? '12:00', offset.minutes));
  const state = {
    prefs: { ...basePrefs, ...options.prefs },
    osDnd: false as boolean | null,
    focused: null as number | null,
    facts: new Map<number, ConversationFact>([
      [1, fact()],
      [2, fact({ visitorName: 'Budi', accountId: 2 })],
      [3, fact({ visitorName: 'Citra' })],
    ]),
    waiting: [] as Array<{ conversationId: number; since: number }>,
  };
  const shown: ShownNotification[] = [];
  const closed: string[] = [];
  const sounds: Array<{ sound: string; volume: number; at: number }> = [];
  const warnings: string[] = [];
  const store = new MemoryDecisionLogStore();
  const log = new DecisionLog({ store, timers });
  const notifier = { show: (n: ShownNotification) => void shown.push(n), close: (key: string) => void closed.push(key) };
  const player = { play: (sound: string, volume: number) => void sounds.push({ sound, volume, at: timers.now }) };
  const osDnd = { isDoNotDisturb: (): boolean | null => state.osDnd };
  const conversations = { get: (id: number) => state.facts.get(id) ?? null, waiting: () => state.waiting };
  const center = new NotificationCenter({
    prefs: () => state.prefs,
    notifier,
    sound: player,
    osDnd,
    focus: { focusedConversationId: () => state.focused },
    conversations,
    log,
    clock: () => timers.now,
    timers,
    localMinutes: (at) => at / 60_000 + offset.minutes,
    warn: (m) => warnings.push(m),
  });
  const say = (conversationId: number, ...contents: string[]): void =>
    center.visitorMessages(conversationId, contents.map((content): IncomingVisitorMessage => ({ content, createdAt: timers.now, senderName: null })), { newConversation: false });
  const setPrefs = (patch: Partial<NotificationPrefs>): void => {
    state.prefs = { ...state.prefs, ...patch };
    center.refresh();
  };
  const decisions = () => log.list().slice().reverse();
  const last = () => log.list()[0];
  return { center, timers, state, shown, closed, sounds, warnings, log, store, notifier, player, osDnd, conversations, offset, say, setPrefs, decisions, last };
}

describe('showing and coalescing', () => {
  it('shows the first message as "name: preview" with one sound, clickable to its conversation', () => {
    const t = setup();
    t.say(2, 'Hello, is anyone there?');
    expect(t.shown).toEqual([{ key: 'conversation:2', conversationId: 2, accountId: 2, title: 'Budi', body: 'Hello, is anyone there?', silent: false }]);
    expect(t.sounds).toEqual([{ sound: 'chime', volume: 0.6, at: t.timers.now }]);
    expect(t.last()).toMatchObject({ kind: 'visitor-message', conversationId: 2, shown: true, sound: true, reason: 'shown' });
  });

  it('marks a new conversation as such in the log', () => {
    const t = setup();
    t.center.visitorMessages(3, [{ content: 'Hi', createdAt: 0, senderName: null }], { newConversation: true });
    expect(t.last()).toMatchObject({ kind: 'new-conversation', reason: 'shown' });
  });

  it('replaces the notification for three quick messages: "3 new messages", one sound', () => {
    const t = setup();
    t.say(1, 'first');
    t.timers.advance(400);
    t.say(1, 'second');
    t.timers.advance(400);
    t.say(1, 'third');
    expect(t.shown.map((n) => n.key)).toEqual(['conversation:1', 'conversation:1', 'conversation:1']);
    expect(t.shown.at(-1)).toMatchObject({ title: 'Ana', body: '3 new messages: third', silent: true });
    expect(t.sounds).toHaveLength(1);
    expect(t.decisions().map((d) => [d.reason, d.sound, d.silencedBy])).toEqual([
      ['shown', true, undefined],
      ['updated', false, 'coalesced'],
      ['updated', false, 'coalesced'],
    ]);
  });

  it('a 50-message burst is one notification and one sound', () => {
    const t = setup();
    t.say(1, ...Array.from({ length: 50 }, (_, i) => `message ${i + 1}`));
    expect(t.shown).toHaveLength(1);
    expect(t.shown[0]?.body).toBe('50 new messages: message 50');
    expect(t.sounds).toHaveLength(1);
  });

  it('sounds again once the coalescing window has passed, still counting the streak', () => {
    const t = setup();
    t.say(1, 'one');
    t.timers.advance(3 * SECOND);
    t.say(1, 'two');
    expect(t.sounds).toHaveLength(2);
    expect(t.shown.at(-1)).toMatchObject({ body: '2 new messages: two', silent: false });
  });

  it('never plays two sounds on top of each other, even for different conversations', () => {
    const t = setup();
    t.say(1, 'from Ana');
    t.timers.advance(500);
    t.say(2, 'from Budi');
    expect(t.shown).toHaveLength(2);
    expect(t.sounds).toHaveLength(1);
    expect(t.last()).toMatchObject({ conversationId: 2, reason: 'shown', sound: false, silencedBy: 'coalesced' });
    t.timers.advance(600);
    t.say(3, 'from Citra');
    expect(t.sounds).toHaveLength(2);
  });

  it('one sound per conversation per 3 s while other conversations may sound after 1 s', () => {
    const t = setup();
    t.say(1, 'a');
    t.timers.advance(1_500);
    t.say(1, 'b');
    t.timers.advance(1_000);
    t.say(1, 'c');
    expect(t.sounds).toHaveLength(1);
    t.say(2, 'other visitor');
    expect(t.sounds).toHaveLength(2);
    t.timers.advance(1_000); // 3.5 s after the last sound for conversation 1
    t.say(1, 'd');
    expect(t.sounds).toHaveLength(3);
  });

  it('seen closes the notification and restarts the streak; the next message sounds at once', () => {
    const t = setup();
    t.say(1, 'one', 'two');
    t.center.conversationSeen(1);
    expect(t.closed).toEqual(['conversation:1']);
    t.timers.advance(1_500);
    t.say(1, 'three');
    expect(t.shown.at(-1)).toMatchObject({ body: 'three', silent: false });
    expect(t.sounds).toHaveLength(2);
    expect(t.last()?.reason).toBe('shown');
  });

  it('seen does not close anything it did not show', () => {
    const t = setup();
    t.center.conversationSeen(1);
    expect(t.closed).toEqual([]);
  });

  it('uses the mirror unread count when it is sane, so the text agrees with the badge', () => {
    const t = setup();
    t.state.facts.set(1, fact({ unreadCount: 7 }));
    t.say(1, 'latest');
    expect(t.shown.at(-1)?.body).toBe('7 new messages: latest');
    t.state.facts.set(1, fact({ unreadCount: 0 })); // stale: smaller than the burst itself
    t.say(1, 'a', 'b');
    expect(t.shown.at(-1)?.body).toBe('3 new messages: b');
  });

  it('titles: visitor name, else sender name, else "Anonymous" / "Anonim"; Indonesian counts', () => {
    const t = setup();
    t.state.facts.set(1, fact({ visitorName: null }));
    t.center.visitorMessages(1, [{ content: 'hi', createdAt: 0, senderName: '  Dewi\n' }], { newConversation: false });
    expect(t.shown.at(-1)?.title).toBe('Dewi');
    t.state.facts.set(2, fact({ visitorName: '   ' }));
    t.say(2, 'hi');
    expect(t.shown.at(-1)?.title).toBe('Anonymous');
    t.setPrefs({ language: 'id' });
    t.say(2, 'lagi', 'dan lagi');
    expect(t.shown.at(-1)).toMatchObject({ title: 'Anonim', body: '3 pesan baru: dan lagi' });
  });

  it('titles and bodies are neutralised like the inbox: no bidi or invisible tricks, no owner look-alike (issue 16, 18)', () => {
    const t = setup();
    t.state.facts.set(1, fact({ visitorName: '\u202Enimda' }));
    t.say(1, 'pay\u00ADpal\u200B.com \u2066x\u2069');
    expect(t.shown.at(-1)).toMatchObject({ title: 'nimda', body: 'paypal.com x' });
    t.state.facts.set(2, fact({ visitorName: 'Admin (You)' }));
    t.say(2, 'hi');
    expect(t.shown.at(-1)?.title).toBe('Admin (You) (visitor)');
    t.state.facts.set(3, fact({ visitorName: `Z${'\u0301'.repeat(1999)}` }));
    t.say(3, 'hi');
    expect(Array.from(t.shown.at(-1)!.title).length).toBeLessThanOrEqual(4);
  });

  it('bodies are plain one-line previews: whitespace collapsed, markup as typed, cut with an ellipsis', () => {
    const t = setup();
    t.say(1, '  <b>Hi</b>\n\n   there  ');
    expect(t.shown.at(-1)?.body).toBe('<b>Hi</b> there');
    t.say(2, 'x'.repeat(500));
    expect(t.shown.at(-1)?.body).toBe(`${'x'.repeat(139)}…`);
    t.say(3, ' \n ');
    expect(t.shown.at(-1)?.body).toBe('New message');
  });

  it('a visitor writing into a resolved or closed conversation is notified', () => {
    const t = setup();
    t.state.facts.set(1, fact({ status: 'resolved' }));
    t.state.facts.set(2, fact({ status: 'closed' }));
    t.say(1, 'one more question');
    t.timers.advance(2 * SECOND);
    t.say(2, 'are you there?');
    expect(t.shown.map((n) => n.conversationId)).toEqual([1, 2]);
    expect(t.sounds).toHaveLength(2);
  });

  it('a conversation missing from the mirror still notifies, with the fallback title', () => {
    const t = setup();
    t.say(99, 'hello');
    expect(t.shown.at(-1)).toMatchObject({ conversationId: 99, accountId: null, title: 'Anonymous' });
    expect(t.last()?.detail).toMatch(/not in the mirror/);
  });

  it('an empty burst does nothing', () => {
    const t = setup();
    t.center.visitorMessages(1, [], { newConversation: true });
    expect(t.shown).toEqual([]);
    expect(t.log.list()).toEqual([]);
  });
});

describe('rules in the center', () => {
  it('muted: nothing shown, nothing played, logged as muted', () => {
    const t = setup();
    t.state.facts.set(1, fact({ muted: true }));
    t.say(1, 'hi');
    expect(t.shown).toEqual([]);
    expect(t.sounds).toEqual([]);
    expect(t.last()).toMatchObject({ shown: false, sound: false, reason: 'muted' });
  });

  it('away: shown silently', () => {
    const t = setup({ prefs: { availability: 'away' } });
    t.say(1, 'hi');
    expect(t.shown).toEqual([expect.objectContaining({ silent: true })]);
    expect(t.sounds).toEqual([]);
    expect(t.last()).toMatchObject({ shown: true, sound: false, reason: 'shown', silencedBy: 'away' });
  });

  it('offline: nothing at all', () => {
    const t = setup({ prefs: { availability: 'offline' } });
    t.say(1, 'hi');
    expect(t.shown).toEqual([]);
    expect(t.sounds).toEqual([]);
    expect(t.last()?.reason).toBe('offline');
  });

  it('the focused conversation gets nothing (and its old notification goes); another focused one does not matter', () => {
    const t = setup();
    t.say(1, 'before');
    t.state.focused = 1;
    t.timers.advance(5 * SECOND);
    t.say(1, 'while reading');
    expect(t.shown).toHaveLength(1);
    expect(t.sounds).toHaveLength(1);
    expect(t.closed).toEqual(['conversation:1']);
    expect(t.last()?.reason).toBe('focused');
    t.say(2, 'elsewhere');
    expect(t.shown.at(-1)).toMatchObject({ conversationId: 2, silent: false });
    expect(t.sounds).toHaveLength(2);
  });

  it.each([
    [true, true, false, 'os-dnd'],
    [false, true, true, undefined],
    [null, true, true, undefined],
  ] as const)('OS do-not-disturb %s: shown %s, sound %s', (osDnd, shown, sound, silencedBy) => {
    const t = setup();
    t.state.osDnd = osDnd;
    t.say(1, 'hi');
    expect(t.shown).toHaveLength(shown ? 1 : 0);
    expect(t.sounds).toHaveLength(sound ? 1 : 0);
    expect(t.last()?.silencedBy).toBe(silencedBy);
  });

  it('a probe that throws means "cannot tell": the notification still sounds', () => {
    const t = setup();
    t.osDnd.isDoNotDisturb = () => {
      throw new Error('dbus gone');
    };
    t.say(1, 'hi');
    expect(t.sounds).toHaveLength(1);
    expect(t.warnings.join()).toMatch(/dbus gone/);
  });

  it('own do-not-disturb: nothing now, a summary when it is lifted', () => {
    const t = setup({ prefs: { doNotDisturb: true } });
    t.center.start();
    t.say(1, 'a', 'b');
    expect(t.shown).toEqual([]);
    expect(t.last()).toMatchObject({ reason: 'dnd', detail: '2 messages; held for the summary' });
    t.setPrefs({ doNotDisturb: false });
    expect(t.shown).toEqual([
      { key: 'quiet-summary', conversationId: 1, accountId: 1, title: 'While do not disturb was on', body: '2 messages from 1 visitor', silent: true },
    ]);
    expect(t.sounds).toEqual([]);
  });
});

describe('quiet hours', () => {
  const quiet = { quietHours: { enabled: true, start: '22:00', end: '07:00' } };

  it('holds messages and shows one summary when the timer fires at the end', () => {
    const t = setup({ prefs: quiet, at: '23:00' });
    t.center.start();
    t.say(1, 'a');
    t.say(1, 'b');
    t.say(2, 'c', 'd', 'e');
    expect(t.shown).toEqual([]);
    expect(t.sounds).toEqual([]);
    expect(t.decisions().map((d) => d.reason)).toEqual(['quiet-hours', 'quiet-hours', 'quiet-hours']);
    t.timers.advance(8 * HOUR - SECOND);
    expect(t.shown).toEqual([]);
    t.timers.advance(SECOND);
    expect(t.shown).toEqual([{ key: 'quiet-summary', conversationId: null, accountId: null, title: 'While quiet hours were on', body: '5 messages from 2 visitors', silent: true }]);
    expect(t.last()).toMatchObject({ kind: 'quiet-hours-summary', shown: true, reason: 'shown', silencedBy: 'summary' });
    t.timers.advance(24 * HOUR);
    expect(t.shown).toHaveLength(1);
  });

  it('after a sleep through the end, the next event shows the summary first', () => {
    const t = setup({ prefs: quiet, at: '23:00' });
    t.center.start();
    t.say(1, 'late');
    t.timers.sleep(9 * HOUR); // 08:00, the end timer still waits for its 8 h of awake time
    t.say(2, 'morning');
    expect(t.shown.map((n) => n.key)).toEqual(['quiet-summary', 'conversation:2']);
    expect(t.shown[0]).toMatchObject({ conversationId: 1, body: '1 message from 1 visitor' });
    t.timers.advance(24 * HOUR);
    expect(t.shown).toHaveLength(2);
  });

  it('a conversation read during quiet hours leaves the summary; reading the only one closes it', () => {
    const t = setup({ prefs: quiet, at: '23:00' });
    t.center.start();
    t.say(1, 'a');
    t.say(2, 'b');
    t.center.conversationSeen(1);
    t.timers.advance(8 * HOUR);
    expect(t.shown.at(-1)).toMatchObject({ conversationId: 2, body: '1 message from 1 visitor' });
    t.center.conversationSeen(2);
    expect(t.closed).toContain('quiet-summary');
  });

  it('everything held was read: no summary', () => {
    const t = setup({ prefs: quiet, at: '23:00' });
    t.center.start();
    t.say(1, 'a');
    t.center.conversationSeen(1);
    t.timers.advance(8 * HOUR);
    expect(t.shown).toEqual([]);
  });

  it('turning quiet hours off releases the summary at once', () => {
    const t = setup({ prefs: quiet, at: '01:00' });
    t.center.start();
    t.say(1, 'a');
    t.setPrefs({ quietHours: { ...quiet.quietHours, enabled: false } });
    expect(t.shown.map((n) => n.key)).toEqual(['quiet-summary']);
  });

  it('offline when quiet hours end: the summary is logged as suppressed, not shown', () => {
    const t = setup({ prefs: quiet, at: '23:00' });
    t.center.start();
    t.say(1, 'a');
    t.state.prefs = { ...t.state.prefs, availability: 'offline' };
    t.timers.advance(8 * HOUR);
    expect(t.shown).toEqual([]);
    expect(t.last()).toMatchObject({ kind: 'quiet-hours-summary', shown: false, reason: 'offline' });
  });

  it('still under own DND when quiet hours end: held until DND is lifted', () => {
    const t = setup({ prefs: quiet, at: '23:00' });
    t.center.start();
    t.say(1, 'a');
    t.state.prefs = { ...t.state.prefs, doNotDisturb: true };
    t.timers.advance(8 * HOUR);
    expect(t.shown).toEqual([]);
    t.setPrefs({ doNotDisturb: false });
    expect(t.shown.at(-1)).toMatchObject({ key: 'quiet-summary', title: 'While quiet hours were on' });
  });

  it('uses local time: 23:00 UTC is 06:00 in Jakarta, so the summary comes an hour later', () => {
    const t = setup({ prefs: quiet, at: '06:00', offsetMinutes: 7 * 60 });
    t.center.start();
    t.say(1, 'subuh');
    expect(t.last()?.reason).toBe('quiet-hours');
    t.timers.advance(HOUR - SECOND);
    expect(t.shown).toEqual([]);
    t.timers.advance(SECOND);
    expect(t.shown).toHaveLength(1);
  });

  it('a timer that fires early (the clock went back an hour) plans again instead of summarising inside the window', () => {
    const t = setup({ prefs: quiet, at: '23:00' });
    t.center.start();
    t.say(1, 'a');
    t.offset.minutes = -60; // local time is now an hour behind
    t.timers.advance(8 * HOUR); // 06:00 local: still quiet
    expect(t.shown).toEqual([]);
    t.timers.advance(HOUR);
    expect(t.shown.map((n) => n.key)).toEqual(['quiet-summary']);
  });

  it('a message after quiet hours notifies normally and counts the held ones as unseen', () => {
    const t = setup({ prefs: quiet, at: '06:59' });
    t.center.start();
    t.say(1, 'a', 'b');
    t.timers.advance(2 * 60 * SECOND);
    t.say(1, 'c');
    expect(t.shown.map((n) => n.key)).toEqual(['quiet-summary', 'conversation:1']);
    expect(t.shown.at(-1)).toMatchObject({ body: '3 new messages: c', silent: false });
  });
});

describe('repeat sound while a visitor waits', () => {
  it('repeats every N seconds while waiting, logs one coalesced entry, and stops when answered', () => {
    const t = setup({ prefs: { repeatSeconds: 30 } });
    t.center.start();
    t.say(1, 'hello?');
    t.state.waiting = [{ conversationId: 1, since: t.timers.now }];
    t.timers.advance(29 * SECOND);
    expect(t.sounds).toHaveLength(1);
    t.timers.advance(SECOND);
    expect(t.sounds).toHaveLength(2);
    t.timers.advance(60 * SECOND);
    expect(t.sounds).toHaveLength(4);
    const repeats = t.log.list().filter((d) => d.kind === 'repeat-sound');
    expect(repeats).toHaveLength(1);
    expect(repeats[0]).toMatchObject({ reason: 'played', sound: true, count: 3, conversationId: 1 });
    t.state.waiting = [];
    t.timers.advance(5 * 60 * SECOND);
    expect(t.sounds).toHaveLength(4);
    t.log.flush();
    expect(t.timers.count).toBe(0); // idle, not polling, until a visitor writes again
    t.say(2, 'new visitor');
    t.state.waiting = [{ conversationId: 2, since: t.timers.now }];
    t.timers.advance(30 * SECOND);
    expect(t.sounds).toHaveLength(6);
  });

  it('stops for a conversation the owner has seen, and resumes when the visitor writes again', () => {
    const t = setup({ prefs: { repeatSeconds: 10 } });
    t.center.start();
    t.say(1, 'hello?');
    t.state.waiting = [{ conversationId: 1, since: t.timers.now }];
    t.center.conversationSeen(1);
    t.timers.advance(60 * SECOND);
    expect(t.sounds).toHaveLength(1);
    t.say(1, 'still there?');
    expect(t.sounds).toHaveLength(2);
    t.timers.advance(10 * SECOND);
    expect(t.sounds).toHaveLength(3);
  });

  it('obeys away: no repeat, one log line saying why', () => {
    const t = setup({ prefs: { repeatSeconds: 10 } });
    t.center.start();
    t.say(1, 'hello?');
    t.state.waiting = [{ conversationId: 1, since: t.timers.now }];
    t.setPrefs({ availability: 'away' });
    t.timers.advance(60 * SECOND);
    expect(t.sounds).toHaveLength(1);
    const repeats = t.log.list().filter((d) => d.kind === 'repeat-sound');
    expect(repeats).toEqual([expect.objectContaining({ reason: 'away', sound: false, count: 6 })]);
    t.setPrefs({ availability: 'online' });
    t.timers.advance(10 * SECOND);
    expect(t.sounds).toHaveLength(2);
    expect(t.log.list()[0]).toMatchObject({ kind: 'repeat-sound', reason: 'played' });
  });

  it('a visitor who wrote during OS do-not-disturb is reminded once the OS lets sound through again', () => {
    const t = setup({ prefs: { repeatSeconds: 10 } });
    t.center.start();
    t.timers.advance(60 * SECOND); // nobody waiting: the reminder idles
    t.state.osDnd = true;
    t.say(1, 'hello?');
    t.state.waiting = [{ conversationId: 1, since: t.timers.now }];
    expect(t.sounds).toEqual([]);
    t.timers.advance(10 * SECOND);
    expect(t.sounds).toEqual([]);
    expect(t.log.list()[0]).toMatchObject({ kind: 'repeat-sound', reason: 'os-dnd' });
    t.state.osDnd = false;
    t.timers.advance(10 * SECOND);
    expect(t.sounds).toHaveLength(1);
  });

  it('skips muted and resolved conversations, plays for any other one waiting', () => {
    const t = setup({ prefs: { repeatSeconds: 10 } });
    t.center.start();
    t.state.facts.set(1, fact({ muted: true }));
    t.state.facts.set(2, fact({ status: 'resolved' }));
    t.state.waiting = [
      { conversationId: 1, since: 0 },
      { conversationId: 2, since: 0 },
    ];
    t.timers.advance(30 * SECOND);
    expect(t.sounds).toEqual([]);
    t.state.waiting.push({ conversationId: 3, since: 0 });
    t.timers.advance(10 * SECOND);
    expect(t.sounds).toHaveLength(1);
    expect(t.log.list()[0]).toMatchObject({ kind: 'repeat-sound', reason: 'played', conversationId: 3 });
  });

  it('the countdown restarts after any notification sound', () => {
    const t = setup({ prefs: { repeatSeconds: 30 } });
    t.center.start();
    t.say(1, 'hello?');
    t.state.waiting = [{ conversationId: 1, since: t.timers.now }];
    t.timers.advance(20 * SECOND);
    t.say(2, 'me too');
    t.timers.advance(29 * SECOND);
    expect(t.sounds).toHaveLength(2);
    t.timers.advance(SECOND);
    expect(t.sounds).toHaveLength(3);
  });

  it('reminds of visitors already waiting at start, at the configured volume, never faster than every 5 s', () => {
    const t = setup({ prefs: { repeatSeconds: 1, sound: 'bell', volume: 3 } });
    t.state.waiting = [{ conversationId: 1, since: 0 }];
    t.center.start();
    t.timers.advance(4 * SECOND);
    expect(t.sounds).toEqual([]);
    t.timers.advance(SECOND);
    expect(t.sounds).toEqual([{ sound: 'bell', volume: 1, at: t.timers.now }]);
  });

  it('is off at 0 and after stop()', () => {
    const t = setup();
    t.state.waiting = [{ conversationId: 1, since: 0 }];
    t.center.start();
    t.timers.advance(10 * 60 * SECOND);
    expect(t.sounds).toEqual([]);
    t.setPrefs({ repeatSeconds: 10 });
    t.timers.advance(10 * SECOND);
    expect(t.sounds).toHaveLength(1);
    t.center.stop();
    t.timers.advance(10 * 60 * SECOND);
    expect(t.sounds).toHaveLength(1);
  });
});

describe('test notification', () => {
  it('shows and sounds, and the decision says so', () => {
    const t = setup();
    const decision = t.center.sendTest();
    expect(t.shown).toEqual([{ key: 'test', conversationId: null, accountId: null, title: 'Notifications work', body: expect.any(String), silent: false }]);
    expect(t.sounds).toHaveLength(1);
    expect(decision).toMatchObject({ kind: 'test', shown: true, sound: true, reason: 'shown' });
    expect(t.last()).toEqual(decision);
  });

  it.each([
    [{ availability: 'offline' as const }, 'offline'],
    [{ doNotDisturb: true }, 'dnd'],
    [{ enabled: false }, 'disabled'],
  ])('suppressed by %o: nothing shown, the decision says %s', (prefs, reason) => {
    const t = setup({ prefs });
    expect(t.center.sendTest()).toMatchObject({ shown: false, sound: false, reason });
    expect(t.shown).toEqual([]);
  });

  it('says why it was silent, and speaks Indonesian', () => {
    const t = setup({ prefs: { sound: 'none', language: 'id' } });
    expect(t.center.sendTest()).toMatchObject({ shown: true, sound: false, silencedBy: 'sound-off' });
    expect(t.shown[0]).toMatchObject({ title: 'Notifikasi berfungsi', silent: true });
  });
});

describe('failures are logged, never thrown', () => {
  it('the OS refusing the banner is a failed decision, the sound still plays, and the next one works', () => {
    const t = setup();
    const show = t.notifier.show;
    t.notifier.show = () => {
      throw new Error('permission denied');
    };
    expect(() => t.say(1, 'hi')).not.toThrow();
    expect(t.sounds).toHaveLength(1);
    expect(t.last()).toMatchObject({ shown: false, sound: true, reason: 'failed' });
    expect(t.last()?.detail).toMatch(/permission denied/);
    t.notifier.show = show;
    t.timers.advance(5 * SECOND);
    t.say(1, 'again');
    expect(t.shown).toHaveLength(1);
    expect(t.last()?.reason).toBe('shown');
  });

  it('a broken sound player: shown, silenced by the failure', () => {
    const t = setup();
    t.player.play = () => {
      throw new Error('no audio device');
    };
    t.say(1, 'hi');
    expect(t.last()).toMatchObject({ shown: true, sound: false, silencedBy: 'failed' });
    expect(t.center.sendTest()).toMatchObject({ shown: true, silencedBy: 'failed' });
  });

  it('a mirror that throws is a failed decision for that burst', () => {
    const t = setup();
    t.conversations.get = () => {
      throw new Error('database is locked');
    };
    expect(() => t.say(1, 'hi')).not.toThrow();
    expect(t.last()).toMatchObject({ reason: 'failed', detail: expect.stringMatching(/database is locked/) });
  });
});

describe('lifecycle', () => {
  it('stop() leaves no timer behind and saves the log', () => {
    const t = setup({ prefs: { repeatSeconds: 30, quietHours: { enabled: true, start: '22:00', end: '07:00' } }, at: '23:00' });
    t.center.start();
    t.say(1, 'late');
    t.state.waiting = [{ conversationId: 1, since: 0 }];
    expect(t.timers.count).toBeGreaterThan(0);
    t.center.stop();
    expect(t.timers.count).toBe(0);
    expect(t.store.saved).toHaveLength(1);
  });
});

describe('notification feed entries (accounts of shape feed)', () => {
  const invite = { id: 31, title: 'Budi invited you to a challenge', body: 'Quick Quant Challenge (10 Q)' };

  it('a new entry notifies with its title and body, with sound, keyed per account, naming the entry a click opens', () => {
    const t = setup();
    t.center.feedEntries(4, [invite]);
    expect(t.shown).toEqual([{ key: 'feed:4', conversationId: null, accountId: 4, feedEntryId: 31, title: invite.title, body: invite.body, silent: false }]);
    expect(t.sounds).toHaveLength(1);
    expect(t.last()).toMatchObject({ kind: 'feed-entry', conversationId: null, shown: true, sound: true, reason: 'shown' });
  });

  it('several at once: one notification with the newest title and the count', () => {
    const t = setup();
    t.center.feedEntries(4, [invite, { id: 32, title: 'Citra accepted your challenge', body: '' }]);
    expect(t.shown.map((n) => [n.title, n.body, n.feedEntryId])).toEqual([['Citra accepted your challenge', '2 new notifications', 32]]);
  });

  it.each([
    [{ doNotDisturb: true }, 'dnd'],
    [{ quietHours: { enabled: true, start: '11:00', end: '13:00' } }, 'quiet-hours'],
    [{ enabled: false }, 'disabled'],
    [{ availability: 'offline' as const }, 'offline'],
  ])('%o: not shown (%s), logged', (prefs, reason) => {
    const t = setup({ prefs });
    t.center.feedEntries(4, [invite]);
    expect(t.shown).toEqual([]);
    expect(t.sounds).toEqual([]);
    expect(t.last()).toMatchObject({ kind: 'feed-entry', shown: false, reason });
  });

  it('Away and OS do-not-disturb: shown without sound', () => {
    const t = setup({ prefs: { availability: 'away' } });
    t.center.feedEntries(4, [invite]);
    t.state.osDnd = true;
    t.setPrefs({ availability: 'online' });
    t.center.feedEntries(4, [invite]);
    expect(t.shown.map((n) => n.silent)).toEqual([true, true]);
    expect(t.sounds).toEqual([]);
    expect(t.decisions().map((d) => d.silencedBy)).toEqual(['away', 'os-dnd']);
  });
});
