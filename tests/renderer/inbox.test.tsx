// The inbox as a whole against a fake ConsoleApi: the visible search field (and Ctrl+K), the
// shortcut sheet's button, dialogs giving focus back, and a failed Resolve shown with Retry.
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/renderer/src/components/Inbox';
import type { ConversationSummary } from '../../src/shared/domain';
import { ConsoleError } from '../../src/shared/errors';
import { defaultSettings } from '../../src/shared/settings';
import { installFakeApi, type FakeHandlers } from './support/fake-api';
import { account, conversation, countsOf, message } from './support/fixtures';
import { giveScrollersASize, renderInApp } from './support/render';

let restore: () => void;
beforeEach(() => {
  restore = giveScrollersASize();
});
afterEach(() => restore());

function handlers(rows: ConversationSummary[]): FakeHandlers {
  return {
    'conversations.page': ({ filter }) => ({ items: rows.filter((c) => filter === 'all' || c.status === filter), nextCursor: null, counts: countsOf(rows) }),
    'conversations.get': ({ conversationId }) => rows.find((c) => c.id === conversationId) ?? null,
    'conversations.details': ({ conversationId }) => ({ conversationId, firstSeenAt: 1_700_000_000_000, conversationCount: 1, statusHistory: [] }),
    'conversations.watch': () => null,
    'conversations.markRead': ({ conversationId }) => rows.find((c) => c.id === conversationId)!,
    'messages.page': ({ conversationId }) => ({ items: [message(conversationId * 10, conversationId, { content: `About order ${conversationId}` })], nextCursor: null }),
    'app.info': () => ({ version: '0', mode: 'web', secretsEncrypted: false, dataDir: '/tmp' }),
    'app.focus': () => null,
    'app.badge': () => ({ unread: 0, look: 'ok' }),
    'demo.status': () => ({ visitorUrl: null }),
    'typing.send': () => null,
    search: ({ query }) =>
      rows
        .filter((c) => `About order ${c.id}`.includes(query))
        .map((c) => ({ conversationId: c.id, messageId: c.id * 10, visitorName: c.visitorName, snippet: [{ text: `About order ${c.id}`, match: true }], createdAt: c.createdAt })),
  };
}

const renderInbox = () => renderInApp(<Inbox accounts={[account()]} connected outbox={{}} progress={{}} settings={defaultSettings()} onSettings={() => {}} onAddAccount={() => {}} />);
const rowsOf = () => within(screen.getByRole('list', { name: 'Conversations' })).queryAllByRole('listitem');

describe('Inbox', () => {
  it('has a visible search field on top of the list; Ctrl+K focuses it and results open a conversation', async () => {
    const rows = [conversation(1, { visitorName: 'Ana' }), conversation(2, { visitorName: 'Budi' })];
    const fake = installFakeApi(handlers(rows));
    const user = userEvent.setup();
    renderInbox();
    await waitFor(() => expect(rowsOf()).toHaveLength(2));
    const listPane = screen.getByRole('region', { name: 'Conversations' });
    const box = within(listPane).getByRole('searchbox', { name: 'Search' });
    expect(box).toBeVisible();
    await user.keyboard('{Control>}k{/Control}');
    expect(box).toHaveFocus();
    await user.type(box, 'order 2');
    const results = await screen.findByRole('list', { name: 'Search results' });
    const hit = await within(results).findByRole('button', { name: /About order 2/ });
    expect(screen.queryByRole('list', { name: 'Conversations' })).toBeNull();
    await user.click(hit);
    expect(await screen.findByRole('region', { name: 'Conversation with Budi' })).toBeVisible();
    expect(fake.callsOf('search').at(-1)).toEqual({ query: 'order 2', limit: 50 });
    // Escape in the field clears the search and the list comes back.
    await user.click(box);
    await user.keyboard('{Escape}');
    expect(box).toHaveValue('');
    await waitFor(() => expect(rowsOf()).toHaveLength(2));
  });

  it('the shortcut sheet has a visible button, and closing it gives focus back to that button', async () => {
    installFakeApi(handlers([conversation(1)]));
    const user = userEvent.setup();
    renderInbox();
    const button = screen.getByRole('button', { name: 'Keyboard shortcuts' });
    await user.click(button);
    // Loaded when first opened (a chunk of its own).
    const sheet = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    await user.click(within(sheet).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(button).toHaveFocus();
  });

  it('Ctrl+K from an open dialog closes it and focuses the search field', async () => {
    installFakeApi({ ...handlers([conversation(1)]), 'notifications.log': () => [] });
    const user = userEvent.setup();
    renderInbox();
    await user.keyboard('{Control>},{/Control}');
    expect(await screen.findByRole('dialog', { name: 'Settings' })).toBeVisible();
    await user.keyboard('{Control>}k{/Control}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveFocus();
  });

  it('a Resolve that fails says so with Retry, and the retry resolves it', async () => {
    const rows = [conversation(1, { visitorName: 'Ana' })];
    let fail = true;
    const fake = installFakeApi({
      ...handlers(rows),
      'conversations.setStatus': ({ conversationId, status }) => {
        if (fail) throw new ConsoleError('unavailable', 'This account is not connected.');
        return conversation(conversationId, { status });
      },
    });
    const user = userEvent.setup();
    renderInbox();
    await waitFor(() => expect(rowsOf()).toHaveLength(1));
    await user.click(rowsOf()[0]!);
    const pane = await screen.findByRole('region', { name: 'Conversation with Ana' });
    await user.click(within(pane).getByRole('button', { name: 'Resolve' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not resolve the conversation with Ana. The site cannot be reached right now.');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(fake.callsOf('conversations.setStatus')).toEqual([{ conversationId: 1, status: 'resolved' }, { conversationId: 1, status: 'resolved' }]));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('j/k from outside the list move the selection and announce it; Enter opens it', async () => {
    installFakeApi(handlers([conversation(1, { visitorName: 'Ana' }), conversation(2, { visitorName: 'Budi' })]));
    const user = userEvent.setup();
    renderInbox();
    await waitFor(() => expect(rowsOf()).toHaveLength(2));
    await user.keyboard('j');
    await user.keyboard('j');
    expect(rowsOf()[1]).toHaveAttribute('aria-current', 'true');
    expect(screen.getByTestId('selection-announcer')).toHaveTextContent('Selected: Budi, Active');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('region', { name: 'Conversation with Budi' })).toBeVisible();
    await act(async () => {});
  });
});
