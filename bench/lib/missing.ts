// What the load bench's lost figure is made of: each backend message the mirror lacks, and how
// it was announced, so a loss can be traced (backend → Pusher → connector → sync → mirror).
import type { BurstResult } from './burst';
import type { SendResult } from './agent';

export interface MissingMessage {
  conversation: string;
  id: number;
  /** The conversation open in the inbox (its own channel subscribed; its alerts skipped). */
  watched: boolean;
  /** Which part of the load wrote it. */
  phase: 'opening' | 'steady' | 'burst';
  /** A trigger announcing it failed: the generator's batch (both its events), or the chat API's new-message trigger (in the backend's log; its alert may still have come). */
  unannounced: boolean;
}

/** Backend message ids the mirror does not hold, per conversation remote id. */
export function missingIds(backend: Record<string, readonly number[]>, mirror: Record<string, string[]>): { conversation: string; id: number }[] {
  const out: { conversation: string; id: number }[] = [];
  for (const [conversation, ids] of Object.entries(backend)) {
    const have = new Set(mirror[conversation] ?? []);
    for (const id of ids) if (!have.has(String(id))) out.push({ conversation, id });
  }
  return out;
}

export function traceMissing(
  missing: { conversation: string; id: number }[],
  load: { watched: string; steady: SendResult; burst: BurstResult; backendLog: string[] },
): MissingMessage[] {
  const inSteady = new Set(Object.values(load.steady.byConversation).flat());
  const inBurst = new Set([...Object.values(load.burst.byConversation).flat(), ...load.burst.unannounced]);
  const burstUnannounced = new Set(load.burst.unannounced);
  const apiUnannounced = new Set(load.backendLog.flatMap((line) => /\(message (\d+)\) failed/.exec(line)?.[1] ?? []).map(Number));
  return missing.map(({ conversation, id }) => ({
    conversation,
    id,
    watched: conversation === load.watched,
    phase: inBurst.has(id) ? 'burst' : inSteady.has(id) ? 'steady' : 'opening',
    unannounced: burstUnannounced.has(id) || apiUnannounced.has(id),
  }));
}
