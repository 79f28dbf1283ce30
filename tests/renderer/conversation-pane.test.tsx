// The conversation pane and its composer against a fake ConsoleApi: status actions, mute with
// its failure shown and retried, Enter sends, Shift+Enter breaks the line, the counter, a failed
// send keeps the draft and says why.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConversationPane, MAX_REPLY } from '../../src/renderer/src/components/ConversationPane';
import type { ConversationStatus, ConversationSummary } from '../../src/shared/domain';
import { ConsoleError } from '../../src/shared/errors';
import { installFakeApi, type FakeHandlers } from './support/fake-api';
import { conversation, message } from './support/fixtures';
import { renderInApp, sizeScrollersInEachTest } from './support/render';

// The pane's rows are windowed: its scroller needs a size for any row to be drawn.
sizeScrollersInEachTest();

function Pane({ c, onStatus = () => {}, onLeave = () => {} }: { c: ConversationSummary; onStatus?: (s: ConversationStatus) => void; onLeave?: () => void }) {
  const [draft, setDraft] = useState('');
  return <ConversationPane conversation={c} visitorTyping={false} draft={draft} onDraft={setDraft} onStatus={onStatus} onLeave={onLeave} replyRef={createRef()} scrollToMessageId={null} canSend confirmLinksInPage />;
}

const base: FakeHandlers = {
  'messages.page': ({ conversationId }) => ({ items: [message(1, conversationId, { content: 'Hello there', senderName: 'Ana' })], nextCursor: null }),
  'typing.send': () => null,
};

describe('ConversationPane', () => {
  it('shows the messages and the actions for an active conversation', async () => {
    installFakeApi(base);
    const onStatus = vi.fn();
    const onLeave = vi.fn();
    const user = userEvent.setup();
    renderInApp(<Pane c={conversation(7, { visitorName: 'Ana' })} onStatus={onStatus} onLeave={onLeave} />);
    const pane = screen.getByRole('region', { name: 'Conversation with Ana' });
    expect(await within(pane).findByText('Hello there')).toBeVisible();
    await user.click(within(pane).getByRole('button', { name: 'Resolve' }));
    expect(onStatus).toHaveBeenLastCalledWith('resolved');
    await user.click(within(pane).getByRole('button', { name: 'Close' }));
    expect(onStatus).toHaveBeenLastCalledWith('closed');
    // Esc's visible twin.
    await user.click(within(pane).getByRole('button', { name: 'Leave the conversation' }));
    expect(onLeave).toHaveBeenCalledOnce();
  });

  it('offers Reopen for a resolved conversation', () => {
    installFakeApi(base);
    renderInApp(<Pane c={conversation(7, { status: 'resolved' })} />);
    expect(screen.getByRole('button', { name: 'Reopen' })).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
  });

  it('a failed mute says what failed and why, and Retry runs it again', async () => {
    let fail = true;
    const fake = installFakeApi({
      ...base,
      'conversations.setMuted': ({ conversationId, muted }) => {
        if (fail) throw new ConsoleError('unavailable', 'The site cannot be reached: ECONNREFUSED');
        return conversation(conversationId, { muted });
      },
    });
    const user = userEvent.setup();
    renderInApp(<Pane c={conversation(7)} />);
    await user.click(screen.getByRole('button', { name: 'Mute' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not mute the conversation.');
    expect(alert).toHaveTextContent('The site cannot be reached right now.');
    expect(alert).toHaveTextContent('ECONNREFUSED');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(fake.callsOf('conversations.setMuted')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('a failure that retrying cannot fix has no Retry, only Dismiss', async () => {
    installFakeApi({ ...base, 'conversations.setMuted': () => Promise.reject(new ConsoleError('not-found', 'Conversation 7 does not exist.')) });
    const user = userEvent.setup();
    renderInApp(<Pane c={conversation(7)} />);
    await user.click(screen.getByRole('button', { name: 'Mute' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('It no longer exists');
    expect(within(alert).queryByRole('button', { name: 'Retry' })).toBeNull();
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('composer', () => {
  it('Enter sends the trimmed reply and empties the box; Shift+Enter adds a line', async () => {
    const fake = installFakeApi({ ...base, 'messages.send': ({ conversationId, content }) => message(99, conversationId, { content, senderType: 'admin' }) });
    const user = userEvent.setup();
    renderInApp(<Pane c={conversation(7)} />);
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(box, '  Hi Ana,{Shift>}{Enter}{/Shift}see you  ');
    expect(box).toHaveValue('  Hi Ana,\nsee you  ');
    expect(screen.getByText(`19/${MAX_REPLY}`)).toBeVisible();
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('');
    expect(fake.callsOf('messages.send')).toEqual([expect.objectContaining({ conversationId: 7, content: 'Hi Ana,\nsee you' })]);
  });

  it('Send is disabled when empty or over the limit', async () => {
    installFakeApi(base);
    const user = userEvent.setup();
    renderInApp(<Pane c={conversation(7)} />);
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send).toBeDisabled();
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.click(box);
    await user.paste('x'.repeat(MAX_REPLY + 1));
    expect(send).toBeDisabled();
    expect(screen.getByText(`${MAX_REPLY + 1}/${MAX_REPLY}`)).toHaveClass('over');
  });

  it('a failed send keeps the draft and says what failed', async () => {
    installFakeApi({ ...base, 'messages.send': () => Promise.reject(new ConsoleError('unavailable', 'This account is not connected.')) });
    const user = userEvent.setup();
    renderInApp(<Pane c={conversation(7)} />);
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(box, 'Are you there?{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not send the reply. The site cannot be reached right now.');
    expect(box).toHaveValue('Are you there?');
  });
});
