// The conversation list: names, the roving tabindex, arrows and Enter, the selection announced.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationList } from '../../src/renderer/src/components/ConversationList';
import type { ConversationSummary } from '../../src/shared/domain';
import { conversation } from './support/fixtures';
import { giveScrollersASize } from './support/render';

let restore: () => void;
beforeEach(() => {
  restore = giveScrollersASize();
});
afterEach(() => restore());

function Harness({ rows, onOpen, initial = null }: { rows: ConversationSummary[]; onOpen: (id: number) => void; initial?: number | null }) {
  const [selectedId, setSelectedId] = useState<number | null>(initial);
  return (
    <>
      <button type="button">before</button>
      <ConversationList conversations={rows} loading={false} selectedId={selectedId} typing={new Set([3])} hasMore={false} onLoadMore={() => {}} onSelect={setSelectedId} onOpen={onOpen} now={1_700_000_060_000} />
    </>
  );
}

const rows = [conversation(1, { unreadCount: 2 }), conversation(2, { status: 'resolved', muted: true }), conversation(3, { visitorName: null })];

describe('ConversationList', () => {
  it('names the list and each row, starting with the visitor’s name', () => {
    render(<Harness rows={rows} onOpen={() => {}} />);
    const list = screen.getByRole('list', { name: 'Conversations' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('aria-label'))).toEqual(['Visitor 1, 2 unread, Active', 'Visitor 2, Resolved, Muted', 'Anonymous, Active, typing…']);
  });

  it('has one row in the Tab order; arrows, Home and End move the selection and focus', async () => {
    const user = userEvent.setup();
    render(<Harness rows={rows} onOpen={() => {}} />);
    const items = () => within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('listitem');
    expect(items().map((li) => li.tabIndex)).toEqual([0, -1, -1]);
    await user.click(screen.getByRole('button', { name: 'before' }));
    await user.tab();
    expect(items()[0]).toHaveFocus();
    // Selection follows focus.
    expect(items()[0]).toHaveAttribute('aria-current', 'true');
    await user.keyboard('{ArrowDown}');
    expect(items()[1]).toHaveFocus();
    expect(items()[1]).toHaveAttribute('aria-current', 'true');
    expect(items().map((li) => li.tabIndex)).toEqual([-1, 0, -1]);
    await user.keyboard('{End}');
    expect(items()[2]).toHaveFocus();
    await user.keyboard('{Home}');
    expect(items()[0]).toHaveFocus();
    await user.keyboard('k');
    expect(items()[0]).toHaveFocus();
    // Tab leaves the list (one stop), Shift+Tab comes back to the selected row.
    await user.tab();
    expect(document.activeElement?.closest('ul')).toBeNull();
    await user.tab({ shift: true });
    expect(items()[0]).toHaveFocus();
  });

  it('Enter and Space open the focused row; a click opens too', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    render(<Harness rows={rows} onOpen={onOpen} initial={2} />);
    const items = () => within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('listitem');
    expect(items().map((li) => li.tabIndex)).toEqual([-1, 0, -1]);
    act(() => items()[1]!.focus());
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenLastCalledWith(2);
    await user.keyboard('{ArrowDown} ');
    expect(onOpen).toHaveBeenLastCalledWith(3);
    await user.click(items()[0]!);
    expect(onOpen).toHaveBeenLastCalledWith(1);
  });

  it('announces the selection when it moves while focus is elsewhere', () => {
    const { rerender } = render(<ConversationList conversations={rows} loading={false} selectedId={null} typing={new Set()} hasMore={false} onLoadMore={() => {}} onSelect={() => {}} onOpen={() => {}} now={0} />);
    const announcer = screen.getByTestId('selection-announcer');
    expect(announcer).toHaveAttribute('aria-live', 'polite');
    expect(announcer).toHaveTextContent('');
    rerender(<ConversationList conversations={rows} loading={false} selectedId={2} typing={new Set()} hasMore={false} onLoadMore={() => {}} onSelect={() => {}} onOpen={() => {}} now={0} />);
    expect(announcer).toHaveTextContent('Selected: Visitor 2, Resolved, Muted');
  });

  it('shows the empty state only when loaded and empty', () => {
    const { rerender } = render(<ConversationList conversations={[]} loading selectedId={null} typing={new Set()} hasMore={false} onLoadMore={() => {}} onSelect={() => {}} onOpen={() => {}} now={0} />);
    expect(screen.queryByText('No conversations yet')).toBeNull();
    expect(screen.getByRole('list', { name: 'Conversations' })).toHaveAttribute('aria-busy', 'true');
    rerender(<ConversationList conversations={[]} loading={false} selectedId={null} typing={new Set()} hasMore={false} onLoadMore={() => {}} onSelect={() => {}} onOpen={() => {}} now={0} />);
    expect(screen.getByRole('status')).toHaveTextContent('No conversations yet');
  });

  it('lays out hidden sample rows for their fonts only while the first page is on its way', () => {
    const props = { selectedId: null, typing: new Set<number>(), hasMore: false, onLoadMore: () => {}, onSelect: () => {}, onOpen: () => {}, now: 0 };
    const { container, rerender } = render(<ConversationList conversations={[]} loading {...props} />);
    const warmup = container.querySelector('.row-font-warmup');
    expect(warmup).toHaveAttribute('aria-hidden', 'true');
    // Nothing a screen reader or a row count sees: no list items, no text in the accessibility tree.
    expect(within(screen.getByRole('list', { name: 'Conversations' })).queryAllByRole('listitem')).toHaveLength(0);
    expect(screen.queryByText('Aa', { ignore: '[aria-hidden] *' })).toBeNull();
    rerender(<ConversationList conversations={rows} loading={false} {...props} />);
    expect(container.querySelector('.row-font-warmup')).toBeNull();
    rerender(<ConversationList conversations={[]} loading={false} {...props} />);
    expect(container.querySelector('.row-font-warmup')).toBeNull();
  });
});
