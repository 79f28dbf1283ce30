// The decision log: bounded and newest first, saved in batches through the injected timers,
// persisted in a real temp file, and tolerant of a damaged or unwritable file.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionLog, JsonFileDecisionLogStore, MemoryDecisionLogStore, type DecisionLogChange } from '../../src/main/core/notifications/decision-log';
import type { DecisionInput } from '../../src/main/core/notifications/types';
import { FakeTimers } from '../support/fake-timers';
import { tempDir, type TempDir } from '../support/temp-db';

const decision = (n: number, extra: Partial<DecisionInput> = {}): DecisionInput => ({
  at: 1_000 * n,
  kind: 'visitor-message',
  conversationId: n,
  shown: true,
  sound: true,
  reason: 'shown',
  ...extra,
});

let temp: TempDir | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

describe('decision log', () => {
  it('keeps only the newest entries, newest first, with increasing ids', () => {
    const log = new DecisionLog({ store: new MemoryDecisionLogStore(), timers: new FakeTimers(), limit: 5 });
    for (let n = 1; n <= 8; n++) log.record(decision(n));
    expect(log.list().map((d) => d.conversationId)).toEqual([8, 7, 6, 5, 4]);
    expect(log.list().map((d) => d.id)).toEqual([8, 7, 6, 5, 4]);
    expect(log.list(2).map((d) => d.conversationId)).toEqual([8, 7]);
    expect(log.list(0)).toEqual([]);
  });

  it('keeps 500 by default', () => {
    const log = new DecisionLog({ store: new MemoryDecisionLogStore(), timers: new FakeTimers() });
    for (let n = 1; n <= 520; n++) log.record(decision(n));
    expect(log.list()).toHaveLength(500);
    expect(log.list()[499]?.conversationId).toBe(21);
  });

  it('batches saves through the injected timers and flushes on demand', () => {
    const timers = new FakeTimers();
    const store = new MemoryDecisionLogStore();
    const log = new DecisionLog({ store, timers, saveDelayMs: 1_000 });
    for (let n = 1; n <= 50; n++) log.record(decision(n));
    expect(store.saves).toBe(0);
    timers.advance(999);
    expect(store.saves).toBe(0);
    timers.advance(1);
    expect(store.saves).toBe(1);
    expect(store.saved).toHaveLength(50);

    log.record(decision(51));
    log.flush();
    expect(store.saves).toBe(2);
    expect(store.saved[0]?.conversationId).toBe(51);
    expect(timers.count).toBe(0);
    log.flush(); // nothing new: no write
    expect(store.saves).toBe(2);
  });

  it('amends an entry in place and tells listeners; clear empties it', () => {
    const log = new DecisionLog({ store: new MemoryDecisionLogStore(), timers: new FakeTimers() });
    const changes: DecisionLogChange[] = [];
    const unsubscribe = log.onChange((c) => changes.push(c));
    const first = log.record(decision(1, { kind: 'repeat-sound', shown: false, reason: 'played' }));
    log.record(decision(2));
    const amended = log.amend(first.id, { count: 3, lastAt: 9_000 });
    expect(amended).toMatchObject({ id: first.id, count: 3, lastAt: 9_000, reason: 'played' });
    expect(log.list().map((d) => d.id)).toEqual([2, first.id]);
    expect(log.list()[1]?.count).toBe(3);
    expect(log.amend(999, { count: 2 })).toBeNull();
    log.clear();
    expect(log.list()).toEqual([]);
    expect(changes.map((c) => c.type)).toEqual(['recorded', 'recorded', 'amended', 'cleared']);
    unsubscribe();
    log.record(decision(3));
    expect(changes).toHaveLength(4);
  });

  it('a throwing listener neither stops logging nor the other listeners', () => {
    const warnings: string[] = [];
    const log = new DecisionLog({ store: new MemoryDecisionLogStore(), timers: new FakeTimers(), warn: (m) => warnings.push(m) });
    const seen: number[] = [];
    log.onChange(() => {
      throw new Error('window gone');
    });
    log.onChange((c) => c.type === 'recorded' && seen.push(c.decision.id));
    expect(() => log.record(decision(1))).not.toThrow();
    expect(seen).toEqual([1]);
    expect(warnings[0]).toMatch(/listener failed/);
  });
});

describe('decision log in a JSON file', () => {
  it('persists across restarts, continues the ids, and leaves no temp file behind', () => {
    temp = tempDir();
    const file = `${temp.dir}/logs/notification-log.json`;
    const timers = new FakeTimers();
    const log = new DecisionLog({ store: new JsonFileDecisionLogStore(file), timers });
    log.record(decision(1));
    log.record(decision(2, { shown: false, sound: false, reason: 'quiet-hours', detail: 'held for the summary' }));
    expect(existsSync(file)).toBe(false);
    timers.advance(2_000);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
    expect(readdirSync(`${temp.dir}/logs`)).toEqual(['notification-log.json']);

    const reopened = new DecisionLog({ store: new JsonFileDecisionLogStore(file), timers: new FakeTimers() });
    expect(reopened.list()).toEqual(log.list());
    expect(reopened.record(decision(3)).id).toBe(3);
  });

  it('treats a corrupt file as empty, says so, and replaces it on the next save', () => {
    temp = tempDir();
    const file = `${temp.dir}/notification-log.json`;
    writeFileSync(file, '{ "version": 1, "decisions": [ {"id": 1, ');
    const warnings: string[] = [];
    const log = new DecisionLog({ store: new JsonFileDecisionLogStore(file, (m) => warnings.push(m)), timers: new FakeTimers() });
    expect(log.list()).toEqual([]);
    expect(warnings[0]).toMatch(/unreadable/);
    log.record(decision(1));
    log.flush();
    expect(new JsonFileDecisionLogStore(file).load()).toHaveLength(1);
  });

  it('treats valid JSON of the wrong shape as empty, and drops only the invalid entries', () => {
    temp = tempDir();
    const file = `${temp.dir}/notification-log.json`;
    const warnings: string[] = [];
    const store = new JsonFileDecisionLogStore(file, (m) => warnings.push(m));
    writeFileSync(file, '[1, 2, 3]');
    expect(store.load()).toEqual([]);
    expect(warnings.pop()).toMatch(/unexpected contents/);

    const good = { ...decision(1), id: 1 };
    writeFileSync(file, JSON.stringify({ version: 1, decisions: [good, { ...good, id: 2, reason: 'from-the-future' }, 'junk'] }));
    expect(store.load()).toEqual([good]);
    expect(warnings.pop()).toMatch(/dropped 2 invalid entries/);
  });

  it('an unwritable location is reported, never thrown', () => {
    temp = tempDir();
    const file = `${temp.dir}/occupied`;
    mkdirSync(`${file}.${process.pid}.tmp`, { recursive: true }); // the temp path is a folder: the write fails
    const warnings: string[] = [];
    const timers = new FakeTimers();
    const log = new DecisionLog({ store: new JsonFileDecisionLogStore(file), timers, warn: (m) => warnings.push(m) });
    log.record(decision(1));
    expect(() => timers.advance(5_000)).not.toThrow();
    expect(warnings[0]).toMatch(/could not save/);
    expect(log.list()).toHaveLength(1);
  });

  it('a store that throws on load starts an empty log', () => {
    const warnings: string[] = [];
    const log = new DecisionLog({
      store: {
        load: () => {
          throw new Error('disk on fire');
        },
        save: () => {},
      },
      timers: new FakeTimers(),
      warn: (m) => warnings.push(m),
    });
    expect(log.list()).toEqual([]);
    expect(warnings[0]).toMatch(/disk on fire/);
  });
});
