// The details pane: who the visitor is, as the site says it — a Django student's full name,
// username and email; no username row for sites without one.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DetailsPane } from '../../src/renderer/src/components/DetailsPane';
import { installFakeApi } from './support/fake-api';
import { conversation } from './support/fixtures';
import { renderInApp } from './support/render';

const details = () => installFakeApi({ 'conversations.details': ({ conversationId }) => ({ conversationId, firstSeenAt: 1_700_000_000_000, conversationCount: 1, statusHistory: [] }) });

/** The pane's definition list as [term, description] pairs. */
const rows = () => {
  const pane = screen.getByRole('complementary', { name: 'Visitor details' });
  const terms = within(pane).getAllByRole('term').map((t) => t.textContent);
  const defs = within(pane).getAllByRole('definition').map((d) => d.textContent);
  return terms.map((t, i) => [t, defs[i]]);
};

describe('DetailsPane', () => {
  it('shows the student’s full name, username and email', async () => {
    details();
    renderInApp(<DetailsPane lang="en" conversation={conversation(1, { visitorName: 'Ahmad Student', visitorUsername: 'ahmad', visitorEmail: 'ahmad@example.com', statusIsLocal: true })} />);
    await screen.findByText('1');
    expect(rows().slice(0, 3)).toEqual([
      ['Name', 'Ahmad Student'],
      ['Username', 'ahmad'],
      ['Email', 'ahmad@example.com'],
    ]);
  });

  it('has no username row where the site has no usernames', async () => {
    details();
    renderInApp(<DetailsPane lang="en" conversation={conversation(2, { visitorName: 'Vera', visitorEmail: 'vera@example.com' })} />);
    await screen.findByText('1');
    expect(rows().map(([t]) => t)).not.toContain('Username');
  });
});
