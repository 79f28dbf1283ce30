// The notification center: turns committed visitor messages into OS notifications and sounds
// through the policy, coalesces bursts per conversation, holds messages during quiet hours and
// do-not-disturb for one summary, runs the optional reminder sound, and logs every decision.
// It never throws into its caller (the sync path): a failure is logged as a 'failed' decision,
// because "notifications silently stopped" is the failure owners hate most.
import type { DecisionLog } from './decision-log';
import { deliver, delivered } from './delivery';
import { HeldMessages } from './held-messages';
import { decide, type PolicyContext, type PolicyOutcome } from './policy';
import { displayName, displayText } from '../../../shared/display-text';
import { previewText } from './preview';
import { isQuietAt, msUntilQuietEnds, systemLocalMinutes } from './quiet-hours';
import { RepeatSound } from './repeat-sound';
import { SoundGate } from './sound-gate';
import { textsFor } from './texts';
import type {
  ConversationFact,
  ConversationFacts,
  Decision,
  DecisionInput,
  DecisionKind,
  FocusProbe,
  NotificationPrefs,
  Notifier,
  OsDndProbe,
  ShownNotification,
  SilenceReason,
  SoundPlayer,
  Timers,
} from './types';

export interface NotificationCenterDeps {
  prefs: () => NotificationPrefs;
  notifier: Notifier;
  sound: SoundPlayer;
  osDnd: OsDndProbe;
  focus: FocusProbe;
  conversations: ConversationFacts;
  log: DecisionLog;
  clock: () => number;
  timers: Timers;
  /** Minutes since local midnight at an instant; defaults to the system's time zone. */
  localMinutes?: (at: number) => number;
  /** Diagnostics (the app log), not the decision log. */
  warn?: (message: string) => void;
}

export interface IncomingVisitorMessage {
  content: string;
  createdAt: number;
  senderName: string | null;
}

export const TEST_KEY = 'test';
export const SUMMARY_KEY = 'quiet-summary';
export const conversationKey = (conversationId: number): string => `conversation:${conversationId}`;

const VISITOR_NAME_MAX_CHARS = 60;
/** A timer for the end of quiet hours never fires sooner than this after it is set. */
const MIN_QUIET_TIMER_MS = 1_000;

/** The unseen streak of one conversation: what "N new messages" counts. */
interface Streak {
  unseen: number;
  /** Our notification for it is (as far as we know) still on screen. */
  open: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export class NotificationCenter {
  private readonly streaks = new Map<number, Streak>();
  /** Looked at since the visitor last wrote: no reminder sound for these. */
  private readonly seen = new Set<number>();
  private readonly held = new HeldMessages();
  private readonly gate = new SoundGate();
  private readonly repeat: RepeatSound;
  private readonly localMinutes: (at: number) => number;
  private readonly warn: (message: string) => void;
  private quietTimer: unknown = null;
  private started = false;
  /** The conversation the last summary opens, so reading it closes the summary too. */
  private summaryConversationId: number | null = null;

  constructor(private readonly deps: NotificationCenterDeps) {
    this.localMinutes = deps.localMinutes ?? systemLocalMinutes;
    this.warn = deps.warn ?? (() => {});
    this.repeat = new RepeatSound({
      prefs: deps.prefs,
      conversations: deps.conversations,
      sound: deps.sound,
      log: deps.log,
      clock: deps.clock,
      timers: deps.timers,
      context: (now) => this.context(now),
      isSeen: (id) => this.seen.has(id),
      onPlayed: (now) => this.gate.played(null, now),
      beforeTick: (now) => this.releaseHeldIfDue(now),
      warn: this.warn,
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.guarded('quiet-hours-summary', null, () => {
      const now = this.deps.clock();
      this.releaseHeldIfDue(now);
      this.scheduleQuietEnd(now);
    });
    this.repeat.start();
  }

  stop(): void {
    this.started = false;
    this.cancelQuietTimer();
    this.repeat.stop();
    this.deps.log.flush();
  }

  /** Preferences changed: release what a lifted hold kept back and re-plan the timers. */
  refresh(): void {
    this.guarded('quiet-hours-summary', null, () => {
      const now = this.deps.clock();
      this.releaseHeldIfDue(now);
      this.scheduleQuietEnd(now);
    });
    this.repeat.settingsChanged();
  }

  /** One applied burst of visitor messages, already committed to the mirror. */
  visitorMessages(conversationId: number, messages: IncomingVisitorMessage[], opts: { newConversation: boolean }): void {
    if (messages.length === 0) return;
    const kind: DecisionKind = opts.newConversation ? 'new-conversation' : 'visitor-message';
    this.guarded(kind, conversationId, () => this.onVisitorMessages(kind, conversationId, messages));
  }

  /**
   * New entries of a notification feed (accounts of shape 'feed'), committed to the mirror. The
   * same rules apply minus the conversation ones (a feed has nothing to mute or focus); held by
   * quiet hours or DND they are not summarised: they wait unread under Notifications and in the badge.
   */
  feedEntries(accountId: number, entries: Array<{ id?: number; title: string; body: string }>): void {
    if (entries.length === 0) return;
    this.guarded('feed-entry', null, () => this.onFeedEntries(accountId, entries));
  }

  /** The owner opened or read the conversation: its notification goes, its streak restarts. */
  conversationSeen(conversationId: number): void {
    this.guarded('visitor-message', conversationId, () => this.markSeen(conversationId));
  }

  /** Shows a test notification through the same rules (minus the conversation ones). */
  sendTest(): Decision {
    const now = this.deps.clock();
    try {
      this.releaseHeldIfDue(now);
      const context = this.context(now);
      const outcome = decide({ kind: 'test', conversation: null }, context);
      const base = { at: now, kind: 'test' as const, conversationId: null };
      if (!outcome.show) return this.deps.log.record({ ...base, ...this.suppressed(outcome) });
      const texts = textsFor(context.prefs.language);
      const delivery = deliver(this.deps.notifier, this.deps.sound, { key: TEST_KEY, conversationId: null, accountId: null, title: texts.testTitle, body: texts.testBody }, outcome.sound, context.prefs);
      return this.deps.log.record({ ...base, ...delivered(delivery, 'shown', outcome.silencedBy) });
    } catch (error) {
      return this.recordFailure('test', null, now, error);
    }
  }

  private onVisitorMessages(kind: DecisionKind, conversationId: number, messages: IncomingVisitorMessage[]): void {
    const now = this.deps.clock();
    this.releaseHeldIfDue(now);
    const fact = this.deps.conversations.get(conversationId);
    const context = this.context(now);
    // Unknown to the mirror (deleted meanwhile?): notify anyway, a miss is worse than a stray.
    const conversation = { id: conversationId, muted: fact?.muted ?? false, status: fact?.status ?? 'active' };
    const outcome = decide({ kind, conversation }, context);
    const base = { at: now, kind, conversationId };
    const burst = plural(messages.length, 'message') + (fact ? '' : '; conversation not in the mirror');

    this.seen.delete(conversationId);
    if (outcome.reason === 'focused') {
      // The owner is reading it right now: whatever we showed before is stale.
      this.markSeen(conversationId);
      this.deps.log.record({ ...base, ...this.suppressed(outcome), detail: burst });
      this.repeat.nudge();
      return;
    }

    const streak = this.streaks.get(conversationId) ?? { unseen: 0, open: false };
    const unseen = streak.unseen + messages.length;
    if (!outcome.show) {
      this.streaks.set(conversationId, { unseen, open: streak.open });
      const hold = outcome.reason === 'quiet-hours' || outcome.reason === 'dnd' ? outcome.reason : null;
      if (hold) {
        this.held.add(conversationId, fact?.accountId ?? null, messages.length, hold);
        this.scheduleQuietEnd(now);
      }
      this.deps.log.record({ ...base, ...this.suppressed(outcome), detail: hold ? `${burst}; held for the summary` : burst });
      this.repeat.nudge();
      return;
    }

    const count = this.newMessageCount(fact, unseen, messages.length);
    const notification = this.conversationNotification(conversationId, fact, messages, count, context.prefs);
    const audible = outcome.sound && this.gate.allows(conversationId, now);
    const silencedBy: SilenceReason | undefined = outcome.sound && !audible ? 'coalesced' : outcome.silencedBy;
    const delivery = deliver(this.deps.notifier, this.deps.sound, notification, audible, context.prefs);
    this.streaks.set(conversationId, { unseen, open: delivery.shown || streak.open });
    if (delivery.sound) this.gate.played(conversationId, now);
    const reason = streak.open ? 'updated' : 'shown';
    this.deps.log.record({ ...base, ...delivered(delivery, reason, silencedBy, `${burst}; ${plural(count, 'unseen message')}`) });
    if (delivery.sound) this.repeat.soundPlayed();
    else this.repeat.nudge();
  }

  private onFeedEntries(accountId: number, entries: Array<{ id?: number; title: string; body: string }>): void {
    const now = this.deps.clock();
    this.releaseHeldIfDue(now);
    const context = this.context(now);
    const outcome = decide({ kind: 'feed-entry', conversation: null }, context);
    const base = { at: now, kind: 'feed-entry' as const, conversationId: null };
    const detail = plural(entries.length, 'notification');
    if (!outcome.show) {
      const held = outcome.reason === 'quiet-hours' || outcome.reason === 'dnd';
      this.deps.log.record({ ...base, ...this.suppressed(outcome), detail: held ? `${detail}; kept unread under Notifications` : detail });
      return;
    }
    const texts = textsFor(context.prefs.language);
    const latest = entries[entries.length - 1]!;
    const notification = {
      key: `feed:${accountId}`,
      conversationId: null,
      accountId,
      // A click opens the entry the notification names (the newest of the burst).
      ...(latest.id !== undefined ? { feedEntryId: latest.id } : {}),
      title: previewText(latest.title) || texts.feedMore(entries.length),
      body: entries.length > 1 ? texts.feedMore(entries.length) : previewText(latest.body),
    };
    const delivery = deliver(this.deps.notifier, this.deps.sound, notification, outcome.sound, context.prefs);
    this.deps.log.record({ ...base, ...delivered(delivery, 'shown', outcome.silencedBy, detail) });
  }

  /** The mirror's unread count agrees with the badge and survives restarts; prefer it when sane. */
  private newMessageCount(fact: ConversationFact | null, unseen: number, burst: number): number {
    const unread = fact?.unreadCount;
    return unread !== undefined && unread >= burst ? unread : unseen;
  }

  private conversationNotification(
    conversationId: number,
    fact: ConversationFact | null,
    messages: IncomingVisitorMessage[],
    count: number,
    prefs: NotificationPrefs,
  ): Omit<ShownNotification, 'silent'> {
    const texts = textsFor(prefs.language);
    const latest = messages[messages.length - 1];
    // The same neutralised name as the inbox shows: blank is "Anonymous", "Admin (You)" is marked.
    const raw = [fact?.visitorName, latest?.senderName].find((n) => displayText(n) !== '');
    const name = previewText(displayName(raw, { anonymous: texts.visitorFallback, visitorTag: texts.visitorTag }), VISITOR_NAME_MAX_CHARS);
    const preview = previewText(latest?.content ?? '') || texts.emptyMessage;
    return {
      key: conversationKey(conversationId),
      conversationId,
      accountId: fact?.accountId ?? null,
      title: name,
      body: count > 1 ? `${texts.newMessages(count)}: ${preview}` : preview,
    };
  }

  private markSeen(conversationId: number): void {
    this.seen.add(conversationId);
    this.held.forget(conversationId);
    this.gate.forget(conversationId);
    const streak = this.streaks.get(conversationId);
    this.streaks.delete(conversationId);
    if (streak?.open) this.close(conversationKey(conversationId));
    if (this.summaryConversationId === conversationId) {
      this.summaryConversationId = null;
      this.close(SUMMARY_KEY);
    }
  }

  /** Shows the summary of held messages once neither quiet hours nor DND holds them. */
  private releaseHeldIfDue(now: number): void {
    if (this.held.isEmpty) return;
    const prefs = this.deps.prefs();
    if (prefs.doNotDisturb || isQuietAt(prefs.quietHours, this.localMinutes(now))) return;
    const summary = this.held.take();
    if (!summary) return;
    const context = this.context(now);
    const outcome = decide({ kind: 'quiet-hours-summary', conversation: null }, context);
    const conversationId = summary.only?.conversationId ?? null;
    const base = { at: now, kind: 'quiet-hours-summary' as const, conversationId };
    const detail = `${plural(summary.messages, 'message')} from ${plural(summary.visitors, 'visitor')} held by ${summary.cause}`;
    if (!outcome.show) {
      this.deps.log.record({ ...base, ...this.suppressed(outcome), detail });
      return;
    }
    const texts = textsFor(prefs.language);
    const delivery = deliver(this.deps.notifier, this.deps.sound, 
      { key: SUMMARY_KEY, conversationId, accountId: summary.only?.accountId ?? null, title: texts.summaryTitle(summary.cause), body: texts.summaryBody(summary.messages, summary.visitors) },
      outcome.sound,
      context.prefs,
    );
    if (delivery.shown) this.summaryConversationId = conversationId;
    this.deps.log.record({ ...base, ...delivered(delivery, 'shown', outcome.silencedBy, detail) });
  }

  private scheduleQuietEnd(now: number): void {
    this.cancelQuietTimer();
    if (!this.started || this.held.isEmpty) return;
    const ms = msUntilQuietEnds(this.deps.prefs().quietHours, this.localMinutes(now));
    // Not in quiet hours: DND alone holds them, and refresh() releases them when it is lifted.
    if (ms === null) return;
    this.quietTimer = this.deps.timers.setTimeout(
      () => {
        this.quietTimer = null;
        this.guarded('quiet-hours-summary', null, () => {
          const at = this.deps.clock();
          this.releaseHeldIfDue(at);
          // Fired early (a DST change, rounding): still quiet, so plan again.
          this.scheduleQuietEnd(at);
        });
      },
      Math.max(MIN_QUIET_TIMER_MS, Math.ceil(ms)),
    );
  }

  private cancelQuietTimer(): void {
    if (this.quietTimer !== null) this.deps.timers.clearTimeout(this.quietTimer);
    this.quietTimer = null;
  }

  private context(now: number): PolicyContext {
    const prefs = this.deps.prefs();
    return {
      prefs,
      quietHours: isQuietAt(prefs.quietHours, this.localMinutes(now)),
      osDnd: this.probe('OS do-not-disturb', () => this.deps.osDnd.isDoNotDisturb()),
      focusedConversationId: this.probe('focus', () => this.deps.focus.focusedConversationId()),
    };
  }

  /** A probe that throws counts as "cannot tell", never as a reason to stay silent. */
  private probe<T>(name: string, read: () => T | null): T | null {
    try {
      return read();
    } catch (error) {
      this.warn(`notifications: ${name} probe failed (${String(error)})`);
      return null;
    }
  }

  private suppressed(outcome: PolicyOutcome): Pick<DecisionInput, 'shown' | 'sound' | 'reason'> {
    return { shown: false, sound: false, reason: outcome.reason };
  }

  private close(key: string): void {
    try {
      this.deps.notifier.close(key);
    } catch (error) {
      this.warn(`notifications: could not close ${key} (${String(error)})`);
    }
  }

  private guarded(kind: DecisionKind, conversationId: number | null, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.recordFailure(kind, conversationId, this.deps.clock(), error);
    }
  }

  private recordFailure(kind: DecisionKind, conversationId: number | null, at: number, error: unknown): Decision {
    this.warn(`notifications: ${kind} failed (${String(error)})`);
    return this.deps.log.record({ at, kind, conversationId, shown: false, sound: false, reason: 'failed', detail: String(error) });
  }
}
