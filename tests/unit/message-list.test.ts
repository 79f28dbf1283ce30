// The renderer's message list (what useMessages holds): pages and events folded into one list.
import { describe, expect, it } from 'vitest';
import { emptyMessageList, mergeMessages, removeMessages } from '../../src/renderer/src/lib/message-list';
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
