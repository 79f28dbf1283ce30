// The "agent finished / failed / stuck" trigger: AgentRuns derives each conversation's run from
// the committed messages' payload.run and hands a run seen ending to the notification center,
// which applies the policy (muted, focused, quiet hours) and plays the Agent sound.
import { describe, expect, it } from 'vitest';
import { AgentRuns, type AgentRunEnd } from '../../src/main/core/attention/agent-runs';
import { EventBus } from '../../src/main/core/events';
import { DecisionLog, MemoryDecisionLogStore } from '../../src/main/core/notifications/decision-log';
import { NotificationCenter } from '../../src/main/core/notifications/notification-center';
import type { ConversationFact, NotificationPrefs, ShownNotification } from '../../src/main/core/notifications/types';
import type { Message } from '../../src/shared/domain';
import { FakeTimers } from '../support/fake-timers';

let nextId = 1;
const msg = (conversationId: number, over: Partial<Message>): Message => ({
  id: nextId++,
  conversationId,
  remoteId: `m${nextId}`,
  clientId: null,
  senderType: 'agent',
  senderId: null,
  senderName: null,
  content: '',
  createdAt: 1_000 + nextId,
  readAt: null,
  delivery: 'sent',
  failureReason: null,
  kind: 'event',
  payload: null,
  editedAt: null,
  ...over,
});
const step = (c: number, run: string | null, content = 'Step 1 of 20') => msg(c, { content, payload: { event: 'agent.step', run, data: {} } });

function setup(options: { agentConversations?: number[]; stored?: Map<number, Message[]> } = {}) {
  const events = new EventBus();
  const ended: Array<{ id: number; end: AgentRunEnd; text: string }> = [];
  const stored = options.stored ?? new Map<number, Message[]>();
  const runs = new AgentRuns({
    events,
    // As the mirror answers: the stated runs, newest first (tests/unit/attention-repo-runs.test.ts holds the query to it).
    recentRuns: (id) =>
      [...(stored.get(id) ?? [])]
        .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
        .flatMap((m) => (m.payload && typeof m.payload === 'object' && (m.payload as { run?: unknown }).run != null ? [{ id: m.id, createdAt: m.createdAt, run: (m.payload as { run: unknown }).run }] : [])),
    runsAgents: (id) => (options.agentConversations ?? [1, 2]).includes(id),
    ended: (id, end, text) => ended.push({ id, end, text }),
    log: (m) => {
      throw new Error(m);
    },
  });
  runs.start();
  // As the engine does: committed first (the mirror has them), then the event.
  const add = (conversationId: number, messages: Message[]) => {
    stored.set(conversationId, [...(stored.get(conversationId) ?? []), ...messages]);
    events.emit('messages.added', { conversationId, messages });
  };
  return { runs, ended, add, stored, events };
}

describe('AgentRuns', () => {
  it('running, then the answer: one "finished" with the answer text; trailing events do not notify again', () => {
    const t = setup();
    t.add(1, [msg(1, { senderType: 'admin', kind: 'text', content: 'Find flights', payload: { run: 'running' } })]);
    expect(t.runs.stateOf(1)).toBe('running');
    t.add(1, [step(1, 'running'), step(1, 'running', 'Using browser_use…')]);
    t.add(1, [msg(1, { kind: 'text', content: 'Here is what I found', payload: { run: 'finished' } })]);
    t.add(1, [step(1, 'finished', 'Agent finished')]);
    expect(t.ended).toEqual([{ id: 1, end: 'finished', text: 'Here is what I found' }]);
    expect(t.runs.stateOf(1)).toBe('finished');
    expect(t.runs.decorate({ id: 1 } as never)).toMatchObject({ agentRun: 'finished' });
  });

  it('a failure and a stuck run notify with the event that ended them', () => {
    const t = setup();
    t.add(1, [step(1, 'running')]);
    t.add(1, [msg(1, { content: 'Agent error: TokenLimitExceeded', payload: { event: 'agent.error', error: true, run: 'failed', data: {} } })]);
    t.add(2, [step(2, 'running')]);
    t.add(2, [msg(2, { content: 'Agent stuck: the same action 3 times', payload: { event: 'agent.stuck', run: 'stuck', data: {} } })]);
    expect(t.ended).toEqual([
      { id: 1, end: 'failed', text: 'Agent error: TokenLimitExceeded' },
      { id: 2, end: 'stuck', text: 'Agent stuck: the same action 3 times' },
    ]);
  });

  it('a whole finished run arriving at once (first sync) is history: no notification', () => {
    const t = setup();
    t.add(1, [msg(1, { senderType: 'admin', kind: 'text', payload: { run: 'running' } }), step(1, 'running'), msg(1, { kind: 'text', content: 'Answer', payload: { run: 'finished' } })]);
    expect(t.ended).toEqual([]);
    expect(t.runs.stateOf(1)).toBe('finished');
  });

  it('after a restart, a run stored as running that catch-up finds ended notifies (the state before the burst comes from the mirror)', () => {
    const stored = new Map([[1, [step(1, 'running')]]]);
    const t = setup({ stored });
    t.add(1, [msg(1, { kind: 'system', senderType: 'system', content: 'Error: the model returned nothing', payload: { run: 'failed' } })]);
    expect(t.ended).toEqual([{ id: 1, end: 'failed', text: 'Error: the model returned nothing' }]);
  });

  it('older messages fetched late do not move the state back; other kinds are never looked at', () => {
    const t = setup({ agentConversations: [1] });
    const old = step(1, 'running');
    t.add(1, [step(1, 'running')]);
    t.add(1, [msg(1, { kind: 'text', content: 'Done', payload: { run: 'finished' } })]);
    t.add(1, [old]);
    expect(t.runs.stateOf(1)).toBe('finished');
    t.add(3, [step(3, 'running')]);
    t.add(3, [step(3, 'finished')]);
    expect(t.runs.stateOf(3)).toBeNull();
    expect(t.ended).toHaveLength(1);
  });
});

describe('NotificationCenter.agentRunEnded', () => {
  const prefs: NotificationPrefs = {
    enabled: true,
    sound: 'chime',
    agentSound: 'bell',
    volume: 0.5,
    repeatSeconds: 0,
    quietHours: { enabled: false, start: '22:00', end: '07:00' },
    doNotDisturb: false,
    availability: 'online',
    language: 'en',
  };
  function center(over: Partial<NotificationPrefs> = {}, focused: number | null = null, fact: Partial<ConversationFact> = {}) {
    const timers = new FakeTimers(Date.UTC(2030, 0, 15, 12));
    const shown: ShownNotification[] = [];
    const sounds: string[] = [];
    const log = new DecisionLog({ store: new MemoryDecisionLogStore(), timers });
    const c = new NotificationCenter({
      prefs: () => ({ ...prefs, ...over }),
      notifier: { show: (n) => void shown.push(n), close: () => {} },
      sound: { play: (s) => void sounds.push(s) },
      osDnd: { isDoNotDisturb: () => false },
      focus: { focusedConversationId: () => focused },
      conversations: { get: () => ({ accountId: 4, visitorName: 'Find flights', muted: false, status: 'active', ...fact }), waiting: () => [] },
      log,
      clock: () => timers.now,
      timers,
      localMinutes: () => 12 * 60,
    });
    return { c, shown, sounds, log };
  }

  it('shows "Agent finished: <title>" with the answer and the Agent sound, keyed per conversation', () => {
    const t = center();
    t.c.agentRunEnded(5, 'finished', 'Here is   what I found');
    expect(t.shown).toEqual([{ key: 'agent:5', conversationId: 5, accountId: 4, title: 'Agent finished: Find flights', body: 'Here is what I found', silent: false }]);
    expect(t.sounds).toEqual(['bell']);
    expect(t.log.list()[0]).toMatchObject({ kind: 'agent-run', conversationId: 5, shown: true, sound: true, reason: 'shown' });
  });

  it('Indonesian texts; Agent sound "none" shows it silently', () => {
    const t = center({ language: 'id', agentSound: 'none' });
    t.c.agentRunEnded(5, 'stuck', '');
    expect(t.shown[0]).toMatchObject({ title: 'Agen macet: Find flights', body: 'Agen telah berhenti.', silent: true });
    expect(t.sounds).toEqual([]);
    expect(t.log.list()[0]).toMatchObject({ shown: true, sound: false, silencedBy: 'sound-off' });
  });

  it('the policy applies: focused, muted and quiet hours suppress it (logged)', () => {
    const focused = center({}, 5);
    focused.c.agentRunEnded(5, 'failed', 'x');
    expect(focused.shown).toEqual([]);
    expect(focused.log.list()[0]).toMatchObject({ kind: 'agent-run', shown: false, reason: 'focused' });
    const muted = center({}, null, { muted: true });
    muted.c.agentRunEnded(5, 'failed', 'x');
    expect(muted.log.list()[0]).toMatchObject({ shown: false, reason: 'muted' });
    const quiet = center({ quietHours: { enabled: true, start: '11:00', end: '13:00' } });
    quiet.c.agentRunEnded(5, 'finished', 'x');
    expect(quiet.shown).toEqual([]);
    expect(quiet.log.list()[0]).toMatchObject({ shown: false, reason: 'quiet-hours' });
  });
});
