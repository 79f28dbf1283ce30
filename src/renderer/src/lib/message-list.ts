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
