// The open conversation's messages as the rows of its windowed list: a day divider wherever the
// day changes, then the message. Pure, so the grouping is testable without a DOM.
import type { Message } from '../../../shared/domain';
import { dayNumber } from './format';

/** One local calendar day: its number (see dayNumber) and where it starts and ends. */
interface DaySpan {
  day: number;
  start: number;
  end: number;
}

/** The local day `at` falls in; midnight from the local calendar, so a DST change is one day too. */
function daySpan(at: number): DaySpan {
  const d = new Date(at);
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  return { day: dayNumber(at), start, end };
}

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
  let span: DaySpan | null = null;
  messages.forEach((m, i) => {
    const prev = i > 0 ? messages[i - 1]! : null;
    // Built again for every live batch (up to a frame's worth of agent steps): a message inside the
    // previous one's day takes two comparisons, not a Date and its local-time fields (a Date per
    // message was ~1 % of the page's CPU during a 1,000-event run, bench openmanusui).
    if (!span || m.createdAt < span.start || m.createdAt >= span.end) span = daySpan(m.createdAt);
    const today = span.day;
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
