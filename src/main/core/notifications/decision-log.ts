// The local log of every notification decision (shown, or suppressed and why), newest first
// and bounded, so "why did I not get a notification?" has an answer in settings. It is a
// diagnostic: losing it must never cost a notification, so storage failures are reported and
// swallowed, and a damaged file starts an empty log.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { decisionKinds, decisionReasons, silenceReasons, type Decision, type DecisionInput, type Timers } from './types';

export interface DecisionLogStore {
  /** Newest first. May throw; the log then starts empty. */
  load(): Decision[];
  save(all: Decision[]): void;
}

export type DecisionLogChange = { type: 'recorded' | 'amended'; decision: Decision } | { type: 'cleared' };

export interface DecisionLogDeps {
  store: DecisionLogStore;
  timers: Timers;
  /** How many entries are kept; the oldest go first. */
  limit?: number;
  /** Saves are batched: a burst of decisions costs one write. */
  saveDelayMs?: number;
  warn?: (message: string) => void;
}

export const DEFAULT_LOG_LIMIT = 500;
const DEFAULT_SAVE_DELAY_MS = 2_000;

export class DecisionLog {
  private entries: Decision[];
  private nextId: number;
  private saveTimer: unknown = null;
  private dirty = false;
  private readonly listeners = new Set<(change: DecisionLogChange) => void>();
  private readonly limit: number;
  private readonly warn: (message: string) => void;

  constructor(private readonly deps: DecisionLogDeps) {
    this.limit = Math.max(1, deps.limit ?? DEFAULT_LOG_LIMIT);
    this.warn = deps.warn ?? (() => {});
    let loaded: Decision[] = [];
    try {
      loaded = deps.store.load();
    } catch (error) {
      this.warn(`notification log: could not load, starting empty (${String(error)})`);
    }
    this.entries = loaded.slice(0, this.limit);
    this.nextId = this.entries.reduce((max, d) => Math.max(max, d.id), 0) + 1;
  }

  record(input: DecisionInput): Decision {
    const decision: Decision = { ...input, id: this.nextId++ };
    this.entries.unshift(decision);
    if (this.entries.length > this.limit) this.entries.length = this.limit;
    this.changed({ type: 'recorded', decision });
    return decision;
  }

  /** Rewrites an entry in place (coalesced repeats); null when it has been evicted or cleared. */
  amend(id: number, patch: Partial<DecisionInput>): Decision | null {
    const index = this.entries.findIndex((d) => d.id === id);
    const current = this.entries[index];
    if (!current) return null;
    const decision: Decision = { ...current, ...patch, id };
    this.entries[index] = decision;
    this.changed({ type: 'amended', decision });
    return decision;
  }

  /** Newest first. */
  list(limit = this.limit): Decision[] {
    return this.entries.slice(0, Math.max(0, limit));
  }

  clear(): void {
    this.entries = [];
    this.changed({ type: 'cleared' });
  }

  onChange(listener: (change: DecisionLogChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes pending changes now (on quit). */
  flush(): void {
    if (this.saveTimer !== null) {
      this.deps.timers.clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    if (!this.dirty) return;
    this.dirty = false;
    try {
      this.deps.store.save(this.entries.slice());
    } catch (error) {
      this.warn(`notification log: could not save (${String(error)})`);
    }
  }

  private changed(change: DecisionLogChange): void {
    this.dirty = true;
    if (this.saveTimer === null) {
      this.saveTimer = this.deps.timers.setTimeout(() => {
        this.saveTimer = null;
        this.flush();
      }, this.deps.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS);
    }
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A closed window's listener must not stop logging or the other listeners.
        this.warn(`notification log: listener failed (${String(error)})`);
      }
    }
  }
}

const StoredDecision = z.object({
  id: z.number().int().positive(),
  at: z.number(),
  kind: z.enum(decisionKinds),
  conversationId: z.number().int().nullable(),
  shown: z.boolean(),
  sound: z.boolean(),
  reason: z.enum(decisionReasons),
  silencedBy: z.enum(silenceReasons).optional(),
  detail: z.string().optional(),
  count: z.number().int().positive().optional(),
  lastAt: z.number().optional(),
});

const StoredLog = z.object({ version: z.literal(1), decisions: z.array(z.unknown()) });

/** One JSON file, replaced atomically (temp file + rename) so a crash never leaves half of it. */
export class JsonFileDecisionLogStore implements DecisionLogStore {
  constructor(
    private readonly file: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  load(): Decision[] {
    if (!existsSync(this.file)) return [];
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      this.warn(`notification log: unreadable ${this.file}, starting empty (${String(error)})`);
      return [];
    }
    const log = StoredLog.safeParse(raw);
    if (!log.success) {
      this.warn(`notification log: unexpected contents in ${this.file}, starting empty`);
      return [];
    }
    // Keep what is still valid: one bad entry (an older version's reason) loses only itself.
    const decisions = log.data.decisions.flatMap((entry) => {
      const parsed = StoredDecision.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
    const dropped = log.data.decisions.length - decisions.length;
    if (dropped > 0) this.warn(`notification log: dropped ${dropped} invalid entries from ${this.file}`);
    return decisions;
  }

  save(all: Decision[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    // Who wrote when, and previews: for the owner only.
    writeFileSync(temp, JSON.stringify({ version: 1, decisions: all }), { mode: 0o600 });
    renameSync(temp, this.file);
    chmodSync(this.file, 0o600);
  }
}

/** For tests and for browser mode without a data folder. */
export class MemoryDecisionLogStore implements DecisionLogStore {
  saved: Decision[] = [];
  saves = 0;

  constructor(initial: Decision[] = []) {
    this.saved = initial.slice();
  }

  load(): Decision[] {
    return this.saved.slice();
  }

  save(all: Decision[]): void {
    this.saved = all.slice();
    this.saves++;
  }
}
