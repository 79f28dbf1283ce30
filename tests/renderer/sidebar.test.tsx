// The sidebar's account entries: what an account cannot keep from the site is said next to it,
// where the account's state is shown.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { djangoChatCapabilities } from '../../src/main/core/connectors/django-chat/capabilities';
import { Sidebar } from '../../src/renderer/src/components/Sidebar';
import type { Account } from '../../src/shared/domain';
import { account } from './support/fixtures';
import { renderInApp } from './support/render';

const renderSidebar = (accounts: Account[]) =>
  renderInApp(
    <Sidebar
      accounts={accounts}
      counts={{ active: 0, resolved: 0, closed: 0, all: 0 }}
      filter="active"
      onFilter={() => {}}
      settings={null}
      onSettings={() => {}}
      onAddAccount={() => {}}
      accountFilter={null}
      onAccountFilter={() => {}}
      onOpenSettings={() => {}}
      demoVisitorUrl={null}
      notifications={null}
    />,
  );

describe('Sidebar accounts', () => {
  it('a Django mentor chat says that opening a history marks the student’s messages read on the server; other accounts do not', () => {
    renderSidebar([
      account({ id: 1, name: 'portfolio.example' }),
      account({ id: 2, kind: 'django-chat', name: 'mentor.example', capabilities: djangoChatCapabilities() }),
    ]);
    const [portfolio, django] = screen.getAllByRole('listitem').filter((li) => /example/.test(li.textContent ?? ''));
    expect(within(django!).getByText(/opening a conversation’s history on this site marks the student’s messages read on the server/i)).toBeVisible();
    expect(within(django!).getByText(/unread is kept on this computer/i)).toBeVisible();
    expect(within(portfolio!).queryByText(/marks the student’s messages read/i)).toBeNull();
  });
});
