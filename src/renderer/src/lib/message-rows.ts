// The open conversation's messages as the rows of its windowed list: a day divider wherever the
// day changes, then the message. Pure, so the grouping is testable without a DOM.
import type { Message } from '../../../shared/domain';
import { dayNumber } from './format';

export type MessageRow =
  | { kind: 'day'; key: string; at: number }
  | {
      kind: 'message';
      key: number;
      message: Message;
      /** The first message of its day. */
      showDay: boolean;
      /** The previous message is someone else's: a room member's name is shown above this one. */
      newSender: boolean;
    };

/**
 * Row keys stay the same when older pages are prepended or new messages appended: a message's
 * key is its id, a day divider's is its date (not its first message, which an older page moves).
 * The window keeps the row under the reader in place by key.
 */
export function messageRows(messages: readonly Message[]): MessageRow[] {
  const rows: MessageRow[] = [];
  let day = -1;
  messages.forEach((m, i) => {
    const prev = i > 0 ? messages[i - 1]! : null;
    // Built again whenever a message arrives: one Date per message, no string formatting.
    const today = dayNumber(m.createdAt);
    const showDay = today !== day;
    day = today;
    if (showDay) rows.push({ kind: 'day', key: `day:${today}`, at: m.createdAt });
    rows.push({ kind: 'message', key: m.id, message: m, showDay, newSender: prev === null || prev.senderType !== m.senderType || prev.senderId !== m.senderId });
  });
  return rows;
}

/** Where each row is, by key: the search jump and the focused row find their index here. */
export function rowIndexByKey(rows: readonly MessageRow[]): Map<string | number, number> {
  return new Map(rows.map((r, i) => [r.key, i]));
}
