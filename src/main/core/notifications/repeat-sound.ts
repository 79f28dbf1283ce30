// The optional reminder: while a visitor waits unanswered, play the sound again every N
// seconds. The countdown restarts after any notification sound, so a reminder never lands on
// top of a fresh notification. The log gets one entry per run of identical outcomes, amended
// with a count, instead of one line per reminder.
import type { DecisionLog } from './decision-log';
import { decide, soundVolume, type PolicyContext, type PolicyOutcome } from './policy';
import type { ConversationFacts, Decision, DecisionInput, NotificationPrefs, SoundPlayer, Timers } from './types';

/** Shorter intervals would be a siren, and would hammer the mirror with queries. */
export const MIN_REPEAT_SECONDS = 5;

export interface RepeatSoundDeps {
  prefs: () => NotificationPrefs;
  conversations: ConversationFacts;
  sound: SoundPlayer;
  log: DecisionLog;
  clock: () => number;
  timers: Timers;
  context: (now: number) => PolicyContext;
  /** The owner has looked at this conversation since the visitor last wrote. */
  isSeen: (conversationId: number) => boolean;
  /** Called when a reminder plays, so other sounds keep their distance. */
  onPlayed: (now: number) => void;
  /** Runs first on every tick: a chance to notice quiet hours ended during a sleep. */
  beforeTick: (now: number) => void;
  warn: (message: string) => void;
}

export function repeatIntervalMs(prefs: NotificationPrefs): number | null {
  if (!(prefs.repeatSeconds > 0)) return null;
  return Math.max(MIN_REPEAT_SECONDS, prefs.repeatSeconds) * 1000;
}

export class RepeatSound {
  private timer: unknown = null;
  private intervalMs: number | null = null;
  private running = false;
  /** The log entry being amended while the outcome stays the same. */
  private entry: Decision | null = null;

  constructor(private readonly deps: RepeatSoundDeps) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.cancel();
    this.entry = null;
  }

  /** A notification sound just played: the next reminder is a full interval away. */
  soundPlayed(): void {
    if (this.running) this.schedule();
  }

  /** A visitor wrote (silently or not): make sure a countdown is running. */
  nudge(): void {
    if (this.running && this.timer === null) this.schedule();
  }

  /** Preferences changed: a new interval starts now; an unchanged one keeps its countdown. */
  settingsChanged(): void {
    if (!this.running) return;
    if (this.timer === null || repeatIntervalMs(this.deps.prefs()) !== this.intervalMs) this.schedule();
  }

  private cancel(): void {
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.cancel();
    this.intervalMs = repeatIntervalMs(this.deps.prefs());
    if (this.intervalMs === null) {
      this.entry = null;
      return;
    }
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      let keepGoing = true;
      try {
        keepGoing = this.tick();
      } catch (error) {
        this.deps.warn(`notifications: repeat sound failed (${String(error)})`);
      }
      // Nobody waiting: idle until a visitor writes (nudge) or the settings change.
      if (this.running && keepGoing) this.schedule();
    }, this.intervalMs);
  }

  /** Returns false when nobody is waiting. */
  private tick(): boolean {
    const { conversations, clock } = this.deps;
    const now = clock();
    this.deps.beforeTick(now);
    const waiting = conversations.waiting();
    if (waiting.length === 0) {
      this.entry = null;
      return false;
    }
    const context = this.deps.context(now);
    const outcomes: Array<{ conversationId: number; outcome: PolicyOutcome }> = [];
    for (const { conversationId } of waiting) {
      if (this.deps.isSeen(conversationId)) continue;
      const fact = conversations.get(conversationId);
      if (!fact) continue;
      const conversation = { id: conversationId, muted: fact.muted, status: fact.status };
      outcomes.push({ conversationId, outcome: decide({ kind: 'repeat-sound', conversation }, context) });
    }
    // Everyone waiting has been looked at: nothing to remind of, nothing worth a log line.
    if (outcomes.length === 0) return true;

    const audible = outcomes.filter((o) => o.outcome.sound);
    const chosen = audible.length > 0 ? audible : outcomes;
    const first = chosen[0];
    if (!first) return true;
    let sound = audible.length > 0;
    let detail = `${chosen.length} waiting`;
    if (sound) {
      try {
        this.deps.sound.play(context.prefs.sound, soundVolume(context.prefs));
        this.deps.onPlayed(now);
      } catch (error) {
        sound = false;
        detail = `${detail}; sound failed: ${String(error)}`;
      }
    }
    this.remember(now, {
      at: now,
      kind: 'repeat-sound',
      conversationId: chosen.length === 1 ? first.conversationId : null,
      shown: false,
      sound,
      reason: sound || audible.length === 0 ? first.outcome.reason : 'failed',
      detail,
    });
    return true;
  }

  private remember(now: number, input: DecisionInput): void {
    const previous = this.entry;
    if (previous && previous.reason === input.reason && previous.sound === input.sound) {
      const amended = this.deps.log.amend(previous.id, { count: (previous.count ?? 1) + 1, lastAt: now, detail: input.detail, conversationId: input.conversationId });
      if (amended) {
        this.entry = amended;
        return;
      }
    }
    this.entry = this.deps.log.record(input);
  }
}
