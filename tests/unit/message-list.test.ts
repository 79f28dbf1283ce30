// The renderer's message list (what useMessages holds): pages and events folded into one list.
import { describe, expect, it } from 'vitest';
import { applyLiveChanges, emptyMessageList, mergeMessages, removeMessages } from '../../src/renderer/src/lib/message-list';
import { messageRows, rowIndexByKey } from '../../src/renderer/src/lib/message-rows';
import type { Message } from '../../src/shared/domain';

const message = (id: number, createdAt: number, patch: Partial<Message> = {}): Message => ({
  id,
  conversationId: 1,
  remoteId: String(id),
  clientId: null,
  senderType: 'visitor',
  senderId: null,
  senderName: null,
  content: `m${id}`,
  createdAt,
  readAt: null,
  delivery: 'sent',
  failureReason: null,
  kind: 'text',
  payload: null,
  editedAt: null,
  ...patch,
});

const ids = (list: { messages: Message[] }) => list.messages.map((m) => m.id);

describe('message list', () => {
  it('merges pages and events by id, in time order, newer copies replacing older ones', () => {
    let list = mergeMessages(emptyMessageList, [message(2, 20), message(1, 10)]);
    list = mergeMessages(list, [message(3, 15), message(2, 20, { content: 'edited' })]);
    expect(ids(list)).toEqual([1, 3, 2]);
    expect(list.messages.at(-1)?.content).toBe('edited');
  });

  it('messages.removed takes a merged copy off the list, leaving the pending reply it was merged into', () => {
    const pending = message(10, 100, { remoteId: null, clientId: 'c', senderType: 'admin', delivery: 'pending' });
    const copy = message(11, 101, { senderType: 'admin', content: pending.content });
    let list = mergeMessages(emptyMessageList, [message(1, 10), pending]);
    list = mergeMessages(list, [copy]); // the fetched copy, shown for a moment
    expect(ids(list)).toEqual([1, 10, 11]);
    list = removeMessages(list, [11]);
    list = mergeMessages(list, [{ ...pending, remoteId: '11', delivery: 'sent', createdAt: 101 }]);
    expect(ids(list)).toEqual([1, 10]);
    expect(list.messages[1]).toMatchObject({ delivery: 'sent', remoteId: '11' });
  });

  it('a removed message stays removed when a page or event answered before the removal arrives later', () => {
    let list = mergeMessages(emptyMessageList, [message(1, 10), message(2, 20)]);
    list = removeMessages(list, [2]);
    list = mergeMessages(list, [message(1, 10), message(2, 20)]); // a messages.page answer that was in flight
    expect(ids(list)).toEqual([1]);
  });

  it('ignores removals of messages it never had, and returns the same list for none', () => {
    const list = mergeMessages(emptyMessageList, [message(1, 10)]);
    expect(removeMessages(list, [])).toBe(list);
    expect(ids(removeMessages(list, [99]))).toEqual([1]);
  });
});

describe('live changes folded in at once (one render per frame)', () => {
  it('applies added, updated and removed in the order they came, later copies winning', () => {
    const start = mergeMessages(emptyMessageList, [message(1, 10), message(2, 20)]);
    const list = applyLiveChanges(start, [
      { merge: [message(3, 30)] },
      { merge: [message(2, 20, { content: 'edited' })] },
      { remove: [1] },
      // Removed ids stay removed: a late copy does not bring it back.
      { merge: [message(1, 10, { content: 'late' }), message(4, 40)] },
      { merge: [message(4, 40, { content: 'four, edited' })] },
    ]);
    expect(list.messages.map((m) => [m.id, m.content])).toEqual([
      [2, 'edited'],
      [3, 'm3'],
      [4, 'four, edited'],
    ]);
    expect(applyLiveChanges(start, [])).toBe(start);
  });
});

describe('rows of the windowed pane', () => {
  const day = 86_400_000;
  const noon = new Date(2026, 5, 1, 12).getTime();

  it('puts a day divider before the first message of each day, and marks a change of sender', () => {
    const rows = messageRows([
      message(1, noon, { senderType: 'member', senderId: 'a' }),
      message(2, noon + 1000, { senderType: 'member', senderId: 'a' }),
      message(3, noon + 2000, { senderType: 'member', senderId: 'b' }),
      message(4, noon + day, { senderType: 'member', senderId: 'b' }),
    ]);
    expect(rows.map((r) => (r.kind === 'day' ? 'day' : `${r.key}${r.showDay ? ' first' : ''}${r.newSender ? ' new' : ''}`))).toEqual(['day', '1 first new', '2', '3 new', 'day', '4 first']);
  });

  it('keeps every key when older messages are prepended or newer appended (the window anchors by key)', () => {
    const newest = [message(5, noon + 5000), message(6, noon + day)];
    const all = [message(3, noon + 3000), message(4, noon + 4000), ...newest, message(7, noon + day + 1)];
    const before = messageRows(newest).map((r) => r.key);
    const after = messageRows(all).map((r) => r.key);
    for (const key of before) expect(after).toContain(key);
    // One divider per day, however many pages made it.
    expect(after.filter((k) => typeof k === 'string')).toHaveLength(2);
    const index = rowIndexByKey(messageRows(all));
    expect(index.get(5)).toBe(3);
    expect(index.get(7)).toBe(after.length - 1);
  });

  it('tells days apart at local midnight exactly, and across a day without messages', () => {
    const midnight = new Date(2026, 5, 2).getTime();
    const rows = messageRows([message(1, midnight - 1), message(2, midnight), message(3, midnight + day - 1), message(4, midnight + 3 * day), message(5, midnight + 3 * day + 1)]);
    expect(rows.filter((r) => r.kind === 'day').map((r) => r.key)).toEqual(['day:20260601', 'day:20260602', 'day:20260605']);
    expect(rows.flatMap((r) => (r.kind === 'message' && r.showDay ? [r.key] : []))).toEqual([1, 2, 4]);
  });
});
