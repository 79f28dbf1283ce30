// The notification policy as a table: each row is one situation and the decision it must give.
// Rows with two or more rules active pin the precedence documented in
// src/main/core/notifications/README.md.
import { describe, expect, it } from 'vitest';
import { decide, type PolicyContext, type PolicyEvent, type PolicyOutcome } from '../../src/main/core/notifications/policy';
import type { NotificationPrefs } from '../../src/main/core/notifications/types';

const OPEN = 7;
const OTHER = 8;

const basePrefs: NotificationPrefs = {
  enabled: true,
  sound: 'chime',
  volume: 0.8,
  repeatSeconds: 0,
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  doNotDisturb: false,
  availability: 'online',
  language: 'en',
};

interface Row {
  event?: Partial<PolicyEvent>;
  conversation?: Partial<NonNullable<PolicyEvent['conversation']>>;
  prefs?: Partial<NotificationPrefs>;
  context?: Partial<Omit<PolicyContext, 'prefs'>>;
}

function run(row: Row): PolicyOutcome {
  const event: PolicyEvent = {
    kind: 'visitor-message',
    conversation: { id: OPEN, muted: false, status: 'active', ...row.conversation },
    ...row.event,
  };
  const context: PolicyContext = {
    prefs: { ...basePrefs, ...row.prefs },
    quietHours: false,
    osDnd: false,
    focusedConversationId: null,
    ...row.context,
  };
  return decide(event, context);
}

const shownWithSound: PolicyOutcome = { show: true, sound: true, reason: 'shown' };
const shownSilently = (silencedBy: PolicyOutcome['silencedBy']): PolicyOutcome => ({ show: true, sound: false, reason: 'shown', silencedBy });
const nothing = (reason: PolicyOutcome['reason']): PolicyOutcome => ({ show: false, sound: false, reason });
const played: PolicyOutcome = { show: false, sound: true, reason: 'played' };

const noConversation = { conversation: null };
const test = { event: { kind: 'test' as const, ...noConversation } };
const summary = { event: { kind: 'quiet-hours-summary' as const, ...noConversation } };
const repeat = { event: { kind: 'repeat-sound' as const } };

const table: Array<[string, Row, PolicyOutcome]> = [
  // Single rules, visitor message
  ['visitor message, nothing special', {}, shownWithSound],
  ['new conversation, nothing special', { event: { kind: 'new-conversation' } }, shownWithSound],
  ['notifications disabled', { prefs: { enabled: false } }, nothing('disabled')],
  ['availability offline', { prefs: { availability: 'offline' } }, nothing('offline')],
  ['conversation muted', { conversation: { muted: true } }, nothing('muted')],
  ['this conversation open in a focused window', { context: { focusedConversationId: OPEN } }, nothing('focused')],
  ['another conversation open in a focused window', { context: { focusedConversationId: OTHER } }, shownWithSound],
  ['inside quiet hours', { context: { quietHours: true } }, nothing('quiet-hours')],
  ['own do-not-disturb on', { prefs: { doNotDisturb: true } }, nothing('dnd')],
  ['OS do-not-disturb on: banner to the OS, no sound', { context: { osDnd: true } }, shownSilently('os-dnd')],
  ['OS do-not-disturb unreadable', { context: { osDnd: null } }, shownWithSound],
  ['away: shown without sound', { prefs: { availability: 'away' } }, shownSilently('away')],
  ['sound none', { prefs: { sound: 'none' } }, shownSilently('sound-off')],
  ['volume 0', { prefs: { volume: 0 } }, shownSilently('sound-off')],
  ['volume NaN from a damaged file', { prefs: { volume: Number.NaN } }, shownSilently('sound-off')],
  ['visitor writes into a resolved conversation', { conversation: { status: 'resolved' } }, shownWithSound],
  ['visitor writes into a closed conversation', { conversation: { status: 'closed' } }, shownWithSound],
  // Precedence pairs, visitor message
  ['disabled beats offline', { prefs: { enabled: false, availability: 'offline' } }, nothing('disabled')],
  ['offline beats muted', { prefs: { availability: 'offline' }, conversation: { muted: true } }, nothing('offline')],
  ['muted beats focused', { conversation: { muted: true }, context: { focusedConversationId: OPEN } }, nothing('muted')],
  ['muted beats quiet hours (not held for the summary)', { conversation: { muted: true }, context: { quietHours: true } }, nothing('muted')],
  ['focused beats quiet hours (not held for the summary)', { context: { focusedConversationId: OPEN, quietHours: true } }, nothing('focused')],
  ['focused beats own DND', { prefs: { doNotDisturb: true }, context: { focusedConversationId: OPEN } }, nothing('focused')],
  ['quiet hours beat own DND', { prefs: { doNotDisturb: true }, context: { quietHours: true } }, nothing('quiet-hours')],
  ['quiet hours beat OS DND', { context: { quietHours: true, osDnd: true } }, nothing('quiet-hours')],
  ['own DND beats OS DND', { prefs: { doNotDisturb: true }, context: { osDnd: true } }, nothing('dnd')],
  ['own DND beats away', { prefs: { doNotDisturb: true, availability: 'away' } }, nothing('dnd')],
  ['quiet hours beat away', { prefs: { availability: 'away' }, context: { quietHours: true } }, nothing('quiet-hours')],
  ['OS DND named before away', { prefs: { availability: 'away' }, context: { osDnd: true } }, shownSilently('os-dnd')],
  ['away named before sound none', { prefs: { availability: 'away', sound: 'none' } }, shownSilently('away')],
  ['muted beats the resolved-conversation exception', { conversation: { muted: true, status: 'resolved' } }, nothing('muted')],
  ['disabled beats everything else at once', { prefs: { enabled: false, availability: 'away', doNotDisturb: true }, conversation: { muted: true }, context: { quietHours: true, focusedConversationId: OPEN, osDnd: true } }, nothing('disabled')],
  // Test notification: the same path without the conversation rules
  ['test notification', test, shownWithSound],
  ['test while disabled', { ...test, prefs: { enabled: false } }, nothing('disabled')],
  ['test while offline', { ...test, prefs: { availability: 'offline' } }, nothing('offline')],
  ['test in quiet hours', { ...test, context: { quietHours: true } }, nothing('quiet-hours')],
  ['test with own DND', { ...test, prefs: { doNotDisturb: true } }, nothing('dnd')],
  ['test with OS DND', { ...test, context: { osDnd: true } }, shownSilently('os-dnd')],
  ['test while away', { ...test, prefs: { availability: 'away' } }, shownSilently('away')],
  ['test with sound none', { ...test, prefs: { sound: 'none' } }, shownSilently('sound-off')],
  ['test ignores the focused conversation', { ...test, context: { focusedConversationId: OPEN } }, shownWithSound],
  // Quiet-hours summary: shown silently
  ['summary', summary, shownSilently('summary')],
  ['summary while offline', { ...summary, prefs: { availability: 'offline' } }, nothing('offline')],
  ['summary with OS DND', { ...summary, context: { osDnd: true } }, shownSilently('os-dnd')],
  ['summary while away', { ...summary, prefs: { availability: 'away' } }, shownSilently('away')],
  // Repeat sound: sound only, never a banner
  ['repeat sound', repeat, played],
  ['repeat sound while away', { ...repeat, prefs: { availability: 'away' } }, nothing('away')],
  ['repeat sound with OS DND', { ...repeat, context: { osDnd: true } }, nothing('os-dnd')],
  ['repeat sound with OS DND unreadable', { ...repeat, context: { osDnd: null } }, played],
  ['repeat sound with own DND', { ...repeat, prefs: { doNotDisturb: true } }, nothing('dnd')],
  ['repeat sound in quiet hours', { ...repeat, context: { quietHours: true } }, nothing('quiet-hours')],
  ['repeat sound for a muted conversation', { ...repeat, conversation: { muted: true } }, nothing('muted')],
  ['repeat sound for the focused conversation', { ...repeat, context: { focusedConversationId: OPEN } }, nothing('focused')],
  ['repeat sound, another conversation focused', { ...repeat, context: { focusedConversationId: OTHER } }, played],
  ['repeat sound for a resolved conversation', { ...repeat, conversation: { status: 'resolved' } }, nothing('not-active')],
  ['repeat sound for a closed conversation', { ...repeat, conversation: { status: 'closed' } }, nothing('not-active')],
  ['repeat sound with sound none', { ...repeat, prefs: { sound: 'none' } }, nothing('sound-off')],
  ['repeat sound while offline', { ...repeat, prefs: { availability: 'offline' } }, nothing('offline')],
  ['repeat sound while disabled', { ...repeat, prefs: { enabled: false } }, nothing('disabled')],
  ['repeat: focused beats not-active', { ...repeat, conversation: { status: 'resolved' }, context: { focusedConversationId: OPEN } }, nothing('focused')],
  ['repeat: not-active beats quiet hours', { ...repeat, conversation: { status: 'closed' }, context: { quietHours: true } }, nothing('not-active')],
];

describe('notification policy', () => {
  it.each(table)('%s', (_label, row, expected) => {
    expect(run(row)).toEqual(expected);
  });

  it('never shows a banner without a reason and never plays sound for a suppressed notification', () => {
    for (const [, row] of table) {
      const outcome = run(row);
      if (!outcome.show && outcome.reason !== 'played') expect(outcome.sound).toBe(false);
      if (outcome.show && !outcome.sound) expect(outcome.silencedBy).toBeDefined();
    }
  });
});
