// Saved replies in the inbox: the composer's "/" picker and its button, and the Settings
// section (add, edit, remove with undo, export and import JSON), against a fake ConsoleApi.
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConversationPane } from '../../src/renderer/src/components/ConversationPane';
import { SavedRepliesSettings } from '../../src/renderer/src/components/SavedRepliesSettings';
import { matchSavedReplies } from '../../src/renderer/src/lib/saved-replies';
import type { SavedReply } from '../../src/shared/saved-replies';
import { installFakeApi, type FakeConsole } from './support/fake-api';
import { conversation } from './support/fixtures';
import { renderInApp, sizeScrollersInEachTest } from './support/render';

// The pane's rows are windowed: its scroller needs a size for any row to be drawn.
sizeScrollersInEachTest();

/** A small in-memory stand-in for the core's saved replies (the real ones are tested over SQLite). */
function withReplies(initial: { title: string; content: string }[]): { fake: FakeConsole; store: SavedReply[] } {
  let nextId = 1;
  const store: SavedReply[] = initial.map((r) => ({ id: nextId++, ...r, updatedAt: 1 }));
  const sorted = () => [...store].sort((a, b) => a.title.localeCompare(b.title));
  const fake = installFakeApi({
    'messages.page': () => ({ items: [], nextCursor: null }),
    'typing.send': () => null,
    'savedReplies.list': () => sorted(),
    'savedReplies.save': ({ id, title, content }) => {
      const existing = store.find((r) => r.id === id);
      const reply = existing ? Object.assign(existing, { title, content }) : { id: nextId++, title, content, updatedAt: 2 };
      if (!existing) store.push(reply);
      fake.emit('savedReplies.changed', { count: store.length });
      return reply;
    },
    'savedReplies.remove': ({ id }) => {
      store.splice(
        store.findIndex((r) => r.id === id),
        1,
      );
      fake.emit('savedReplies.changed', { count: store.length });
      return null;
    },
    'savedReplies.import': ({ replies }) => {
      let added = 0;
      for (const r of replies) {
        if (!store.some((s) => s.title === r.title)) {
          store.push({ id: nextId++, ...r, updatedAt: 3 });
          added += 1;
        }
      }
      fake.emit('savedReplies.changed', { count: store.length });
      return { added, updated: 0 };
    },
  });
  return { fake, store };
}

const replies = [
  { title: 'Greeting', content: 'Hi! How can I help you today?' },
  { title: 'Ongkir', content: 'Ongkos kirim ke Surabaya mulai Rp 15.000.' },
  { title: 'Café hours', content: 'We are open 9–17 on weekdays.' },
];

function Pane() {
  const [draft, setDraft] = useState('');
  return <ConversationPane conversation={conversation(7)} visitorTyping={false} draft={draft} onDraft={setDraft} onStatus={() => {}} onLeave={() => {}} replyRef={createRef()} scrollToMessageId={null} canSend confirmLinksInPage />;
}

describe('matchSavedReplies', () => {
  it('matches titles before texts, ignoring case and accents', () => {
    const list = replies.map((r, i) => ({ id: i + 1, ...r, updatedAt: 0 }));
    expect(matchSavedReplies(list, 'cafe').map((r) => r.title)).toEqual(['Café hours']);
    expect(matchSavedReplies(list, 'SURABAYA').map((r) => r.title)).toEqual(['Ongkir']);
    expect(matchSavedReplies(list, 'o').map((r) => r.title)).toEqual(['Ongkir', 'Café hours', 'Greeting']);
    expect(matchSavedReplies(list, '  ')).toHaveLength(3);
  });
});

describe('the composer’s saved replies', () => {
  it('"/" opens the list, typing filters it, arrows choose and Enter inserts without sending', async () => {
    const { fake } = withReplies(replies);
    const user = userEvent.setup();
    renderInApp(<Pane />);
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(box, '/');
    const list = await screen.findByRole('listbox', { name: 'Saved replies' });
    expect(within(list).getAllByRole('option')).toHaveLength(3);
    await user.type(box, 'o');
    await waitFor(() => expect(within(list).getAllByRole('option').map((o) => o.querySelector('.saved-title')?.textContent)).toEqual(['Café hours', 'Ongkir', 'Greeting']));
    expect(within(list).getAllByRole('option')[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    const second = within(list).getAllByRole('option')[1]!;
    expect(second).toHaveAttribute('aria-selected', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', second.id);
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('Ongkos kirim ke Surabaya mulai Rp 15.000.');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(fake.callsOf('messages.send')).toHaveLength(0);
  });

  it('Escape closes the list and keeps the text; no match says so', async () => {
    withReplies(replies);
    const user = userEvent.setup();
    renderInApp(<Pane />);
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(box, '/zzz');
    expect(await screen.findByText('No saved reply matches “zzz”.')).toBeVisible();
    await user.keyboard('{Escape}');
    expect(screen.queryByText('No saved reply matches “zzz”.')).toBeNull();
    expect(box).toHaveValue('/zzz');
    expect(box).toHaveFocus();
  });

  it('the Saved replies button lists them all, and the pick is added after the draft', async () => {
    withReplies(replies);
    const user = userEvent.setup();
    renderInApp(<Pane />);
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(box, 'Hello Ana,');
    await user.click(screen.getByRole('button', { name: 'Saved replies' }));
    const list = await screen.findByRole('listbox', { name: 'Saved replies' });
    await user.click(within(list).getByText('Greeting'));
    expect(box).toHaveValue('Hello Ana,\nHi! How can I help you today?');
  });

  it('says where to add them when there are none', async () => {
    withReplies([]);
    const user = userEvent.setup();
    renderInApp(<Pane />);
    await user.type(screen.getByRole('textbox', { name: 'Reply' }), '/');
    expect(await screen.findByText('No saved replies yet. Add them in Settings.')).toBeVisible();
  });
});

describe('Settings › Saved replies', () => {
  it('adds, edits, removes with undo', async () => {
    const { fake, store } = withReplies([]);
    const user = userEvent.setup();
    renderInApp(<SavedRepliesSettings />);
    await user.click(screen.getByRole('button', { name: 'New saved reply' }));
    const form = screen.getByRole('form', { name: 'New saved reply' });
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('Give the reply a title');
    await user.type(within(form).getByRole('textbox', { name: 'Title' }), 'Salam');
    await user.type(within(form).getByRole('textbox', { name: 'Text' }), 'Halo! Ada yang bisa kami bantu?');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    const list = await screen.findByRole('list', { name: 'Saved replies' });
    expect(list).toHaveTextContent('Halo! Ada yang bisa kami bantu?');

    await user.click(screen.getByRole('button', { name: 'Edit “Salam”' }));
    const text = screen.getByRole('textbox', { name: 'Text' });
    await user.clear(text);
    await user.type(text, 'Halo, terima kasih sudah menghubungi kami.');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(list).toHaveTextContent('terima kasih'));
    expect(fake.callsOf('savedReplies.save').at(-1)).toEqual({ id: 1, title: 'Salam', content: 'Halo, terima kasih sudah menghubungi kami.' });

    await user.click(screen.getByRole('button', { name: 'Remove “Salam”' }));
    expect(await screen.findByText('Removed “Salam”.')).toBeVisible();
    expect(store).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(store.map((r) => r.content)).toEqual(['Halo, terima kasih sudah menghubungi kami.']));
  });

  it('exports the replies as a JSON file and imports one, skipping bad entries', async () => {
    withReplies(replies);
    const user = userEvent.setup();
    renderInApp(<SavedRepliesSettings />);
    await screen.findByRole('list', { name: 'Saved replies' });
    let exported: Blob | null = null;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      exported = b as Blob;
      return 'blob:test';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(click).toHaveBeenCalled();
    const file = JSON.parse(await exported!.text());
    expect(file).toEqual({ format: 'switchboard-saved-replies', version: 1, replies: [replies[2], replies[0], replies[1]] });
    expect(screen.getByRole('status')).toHaveTextContent('Exported 3 saved replies.');
    create.mockRestore();
    click.mockRestore();

    const upload = { ...file, replies: [...file.replies, { title: 'Baru', content: 'Teks baru' }, { title: '', content: 'no title' }] };
    await user.upload(screen.getByLabelText('Saved replies file to import'), new File([JSON.stringify(upload)], 'replies.json', { type: 'application/json' }));
    expect(await screen.findByText('Imported: 1 new, 0 updated, 1 skipped.')).toBeVisible();
    await waitFor(() => expect(screen.getByRole('list', { name: 'Saved replies' })).toHaveTextContent('Teks baru'));

    await user.upload(screen.getByLabelText('Saved replies file to import'), new File(['{"not": "ours"}'], 'other.json', { type: 'application/json' }));
    expect(await screen.findByText('other.json is not a Switchboard saved replies file.')).toBeVisible();
    await user.upload(screen.getByLabelText('Saved replies file to import'), new File(['nope'], 'broken.json', { type: 'application/json' }));
    expect(await screen.findByText('broken.json is not a JSON file.')).toBeVisible();
    await act(async () => {});
  });
});
