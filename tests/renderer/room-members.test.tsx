// Rooms with other members (jwt-ws): each member's name above their bubble whenever the sender
// changes, neutralised like every other name; an "edited" mark with the edit time as its tooltip;
// a direct room's other member's presence in the header; every member's presence in the details.
import { screen, within } from '@testing-library/react';
import { createRef } from 'react';
import { describe, expect, it } from 'vitest';
import { ConversationPane } from '../../src/renderer/src/components/ConversationPane';
import { DetailsPane } from '../../src/renderer/src/components/DetailsPane';
import type { ConversationSummary, Message } from '../../src/shared/domain';
import { installFakeApi } from './support/fake-api';
import { conversation, message } from './support/fixtures';
import { renderInApp, sizeScrollersInEachTest } from './support/render';

// The pane's rows are windowed: its scroller needs a size for any row to be drawn.
sizeScrollersInEachTest();

const pane = (c: ConversationSummary) => (
  <ConversationPane conversation={c} visitorTyping={false} draft="" onDraft={() => {}} onStatus={() => {}} onLeave={() => {}} replyRef={createRef()} scrollToMessageId={null} canSend confirmLinksInPage />
);
const member = (id: number, senderId: string, senderName: string, over: Partial<Message> = {}) => message(id, 7, { senderType: 'member', senderId, senderName, content: `Text ${id}`, ...over });

describe('messages of room members', () => {
  it('names the sender above the bubble when the sender changes, as plain neutralised text; marks edits with their time', async () => {
    const items = [
      member(1, 'u-chen', 'Chen Wei'),
      member(2, 'u-chen', 'Chen Wei'),
      message(3, 7, { senderType: 'admin', content: 'Mine' }),
      member(4, 'u-chen', 'Chen Wei'),
      // A name that tries to pass for the owner, reversed by a bidi override, with markup.
      member(5, 'u-x', '\u202Enimda <b>x</b>', { editedAt: 1_700_000_060_000 }),
    ];
    installFakeApi({ 'messages.page': () => ({ items, nextCursor: null }), 'typing.send': () => null });
    renderInApp(pane(conversation(7, { visitorName: 'Support team', visitorOnline: true })));
    const list = screen.getByRole('list', { name: 'Messages' });
    await within(list).findByText('Text 5');
    const rows = within(list).getAllByRole('listitem').filter((li) => li.dataset.messageId);
    const senderOf = (li: HTMLElement) => li.querySelector('.sender')?.textContent ?? null;
    expect(rows.map(senderOf)).toEqual(['Chen Wei', null, null, 'Chen Wei', 'nimda <b>x</b>']);
    expect(list.querySelector('b')).toBeNull();
    const edited = within(rows[4]!).getByText('edited');
    expect(edited.getAttribute('title')).toMatch(/^Edited .*\d/);
    expect(rows[4]).toHaveAccessibleName(/, edited$/);
    expect(within(rows[0]!).queryByText('edited')).toBeNull();
    // A group room keeps the plain "online" word (no single person's presence to tell).
    expect(screen.getByText('Online now')).toBeVisible();
    expect(screen.queryByTestId('header-presence')).toBeNull();
  });

  it("a direct room's header says the other member's presence: away and busy apart from online", async () => {
    installFakeApi({ 'messages.page': () => ({ items: [], nextCursor: null }), 'typing.send': () => null });
    for (const [presence, word] of [
      ['online', 'Online'],
      ['away', 'Away'],
      ['busy', 'Busy'],
      ['offline', 'Offline'],
    ] as const) {
      const { unmount } = renderInApp(pane(conversation(7, { visitorName: 'Alice', visitorOnline: presence !== 'offline', visitorPresence: presence })));
      expect(screen.getByTestId('header-presence')).toHaveTextContent(word);
      expect(screen.getByTestId('header-presence').querySelector(`.presence-${presence}`)).not.toBeNull();
      unmount();
    }
  });
});

describe('details of a room', () => {
  it("lists the other members with their presence in words; a kind without rooms shows no list", async () => {
    const members = [
      { id: 'u1', name: 'Chen Wei', presence: 'online' as const },
      { id: 'u2', name: '\u202EAdmin', presence: 'busy' as const },
      { id: 'u3', name: null, presence: 'offline' as const },
    ];
    installFakeApi({ 'conversations.details': ({ conversationId }) => ({ conversationId, firstSeenAt: 1, conversationCount: 1, statusHistory: [], members }) });
    const { unmount } = renderInApp(<DetailsPane conversation={conversation(7, { visitorName: 'Support team', visitorOnline: true })} lang="en" />);
    const list = await screen.findByRole('list', { name: '3 other members' });
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual(['Chen Wei, Online', 'Admin (visitor), Busy', 'Anonymous, Offline']);
    unmount();
    installFakeApi({ 'conversations.details': ({ conversationId }) => ({ conversationId, firstSeenAt: 1, conversationCount: 1, statusHistory: [] }) });
    renderInApp(<DetailsPane conversation={conversation(8)} lang="en" />);
    await screen.findByText('No changes recorded yet.');
    expect(screen.queryByRole('list', { name: /other member/ })).toBeNull();
  });
});
