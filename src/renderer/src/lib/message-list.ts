// The open conversation's messages as the renderer holds them: pages and pushed events folded
// into one list. Pure functions, so the hook's behaviour is testable without a DOM.
import type { Message } from '../../../shared/domain';

export interface MessageList {
  messages: Message[];
  /** Ids the core deleted: an answer or event still in flight must not bring them back. */
  removed: ReadonlySet<number>;
}

export const emptyMessageList: MessageList = { messages: [], removed: new Set() };

const order = (a: Message, b: Message) => a.createdAt - b.createdAt || a.id - b.id;

/** A page or a messages.added/updated event: newer copies replace older ones by id. */
export function mergeMessages(list: MessageList, incoming: Message[]): MessageList {
  const byId = new Map(list.messages.map((m) => [m.id, m]));
  for (const m of incoming) if (!list.removed.has(m.id)) byId.set(m.id, m);
  return { messages: [...byId.values()].sort(order), removed: list.removed };
}

/** A messages.removed event. */
export function removeMessages(list: MessageList, ids: number[]): MessageList {
  if (ids.length === 0) return list;
  const removed = new Set(list.removed);
  for (const id of ids) removed.add(id);
  return { messages: list.messages.filter((m) => !removed.has(m.id)), removed };
}

/** A messages.added or messages.updated event's messages, or a messages.removed event's ids. */
export type LiveChange = { merge: Message[] } | { remove: number[] };

/**
 * Several live changes at once, in their order: runs of added or updated messages are merged in
 * one pass (later copies still replace earlier ones by id), removals apply where they came.
 */
export function applyLiveChanges(list: MessageList, changes: readonly LiveChange[]): MessageList {
  let out = list;
  let run: Message[] = [];
  for (const change of changes) {
    if ('merge' in change) {
      run.push(...change.merge);
      continue;
    }
    if (run.length) out = mergeMessages(out, run);
    run = [];
    out = removeMessages(out, change.remove);
  }
  return run.length ? mergeMessages(out, run) : out;
}
