// The transports forward message events only for conversations a window loaded (see
// src/main/core/api/shown-conversations.ts); every other event always goes through.
import { describe, expect, it } from 'vitest';
import { ShownConversations } from '../../src/main/core/api/shown-conversations';

const added = (conversationId: number) => ({ conversationId, messages: [] });

describe('ShownConversations', () => {
  it('passes message events only for conversations a page, a send or a read named', () => {
    const shown = new ShownConversations();
    for (const name of ['messages.added', 'messages.updated', 'messages.removed'] as const) expect(shown.wants(name, added(7))).toBe(false);
    shown.noteRequest('messages.page', { conversationId: 7, limit: 50 });
    for (const name of ['messages.added', 'messages.updated', 'messages.removed'] as const) expect(shown.wants(name, added(7))).toBe(true);
    expect(shown.wants('messages.added', added(8))).toBe(false);
    shown.noteRequest('messages.send', { conversationId: 8, content: 'hi', clientId: 'c' });
    shown.noteRequest('conversations.markRead', { conversationId: 9 });
    shown.noteRequest('conversations.watch', { conversationIds: [10, 11] });
    for (const id of [8, 9, 10, 11]) expect(shown.wants('messages.added', added(id))).toBe(true);
    // Other requests naming a conversation do not make it shown.
    shown.noteRequest('conversations.setMuted', { conversationId: 12, muted: true });
    expect(shown.wants('messages.added', added(12))).toBe(false);
  });

  it('always passes every other event, and a message event it cannot read', () => {
    const shown = new ShownConversations();
    expect(shown.wants('typing', { conversationId: 3, who: 'visitor', isTyping: true })).toBe(true);
    expect(shown.wants('conversations.changed', { accountId: 1, conversationIds: [3] })).toBe(true);
    expect(shown.wants('notifications.show', { key: 'conversation:3' })).toBe(true);
    expect(shown.wants('messages.added', { messages: [] })).toBe(true);
  });

  it('ignores malformed requests (they reach the transport before validation)', () => {
    const shown = new ShownConversations();
    for (const [method, input] of [
      [42, { conversationId: 1 }],
      ['messages.page', null],
      ['messages.page', 'x'],
      ['messages.page', { conversationId: '1' }],
      ['conversations.watch', { conversationIds: 'nope' }],
      ['conversations.watch', { conversationIds: ['1', null] }],
    ] as const) {
      expect(() => shown.noteRequest(method, input)).not.toThrow();
    }
    expect(shown.wants('messages.added', added(1))).toBe(false);
  });

  it('forgets the conversation used longest ago beyond its capacity', () => {
    const shown = new ShownConversations(3);
    for (const id of [1, 2, 3]) shown.noteRequest('messages.page', { conversationId: id });
    shown.noteRequest('messages.page', { conversationId: 1 }); // 1 is the newest again
    shown.noteRequest('messages.page', { conversationId: 4 });
    expect([1, 2, 3, 4].map((id) => shown.wants('messages.added', added(id)))).toEqual([true, false, true, true]);
  });
});
