// The Stats view against a fake ConsoleApi: the period and account asked for, the summary, the
// tables behind the charts. happy-dom has no canvas, so the uPlot chart is replaced by a stub
// here (the real chart is drawn in Chromium by tests/e2e/screenshots.web.spec.ts and axe-checked).
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { StatsDialog, duration } from '../../src/renderer/src/components/StatsDialog';
import type { Stats } from '../../src/shared/stats';
import { ConsoleError } from '../../src/shared/errors';
import { installFakeApi } from './support/fake-api';
import { account } from './support/fixtures';
import { renderInApp } from './support/render';

vi.mock('../../src/renderer/src/components/BarChart', () => ({
  BarChart: ({ label, values }: { label: string; values: number[] }) => <div role="img" aria-label={label} data-values={values.join(',')} />,
}));

const stats = (days: number): Stats => ({
  perDay: Array.from({ length: days }, (_, i) => ({ day: Date.UTC(2026, 2, 1 + i), conversations: i % 3, replies: i % 2 })),
  hours: Array.from({ length: 24 }, (_, h) => (h === 14 ? 9 : h % 4)),
  firstResponse: { medianMs: 90_000, p90Ms: 2 * 3_600_000 + 5 * 60_000, answered: 12, unanswered: 2 },
});

describe('StatsDialog', () => {
  it('asks for 30 days of all accounts, shows the summary and the charts with their tables', async () => {
    const fake = installFakeApi({ 'stats.get': ({ days }) => stats(days) });
    const user = userEvent.setup();
    renderInApp(<StatsDialog accounts={[account({ id: 1, name: 'shop.example' }), account({ id: 2, name: 'blog.example' })]} onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Stats' });
    expect(await within(dialog).findByText('First response, median')).toBeVisible();
    expect(fake.callsOf('stats.get')[0]).toEqual({ days: 30, utcOffsetMinutes: -new Date().getTimezoneOffset() });
    const summary = (term: string) => within(dialog).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(summary('First response, median')).toBe(duration(90_000, 'en'));
    expect(summary('Not answered yet')).toBe('2');
    expect(summary('Conversations')).toBe(String(stats(30).perDay.reduce((n, d) => n + d.conversations, 0)));
    expect(within(dialog).getByRole('img', { name: 'Visitor messages by hour of day (busiest: 14:00)' })).toBeInTheDocument();
    expect(within(dialog).getAllByRole('table')).toHaveLength(3);

    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Period' }), '7');
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Account' }), 'blog.example');
    await waitFor(() => expect(fake.callsOf('stats.get').at(-1)).toMatchObject({ days: 7, accountId: 2 }));
    await waitFor(() => expect(within(dialog).getByRole('img', { name: 'New conversations per day' })).toHaveAttribute('data-values', stats(7).perDay.map((d) => d.conversations).join(',')));
  });

  it('one account has no account choice; a failure says so with Retry', async () => {
    let fail = true;
    installFakeApi({
      'stats.get': ({ days }) => {
        if (fail) throw new ConsoleError('internal', 'database is locked');
        return stats(days);
      },
    });
    const user = userEvent.setup();
    renderInApp(<StatsDialog accounts={[account()]} onClose={() => {}} />);
    expect(screen.queryByRole('combobox', { name: 'Account' })).toBeNull();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the stats. Something went wrong inside Switchboard.');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('First response, median')).toBeVisible();
  });

  it('formats durations in the UI language', () => {
    expect(duration(null, 'en')).toBe('—');
    expect(duration(42_000, 'en')).toBe('42 sec');
    expect(duration(5 * 60_000, 'en')).toBe('5 min');
    expect(duration(2 * 3_600_000 + 5 * 60_000, 'en')).toBe('2 hr 5 min');
    expect(duration(3_600_000, 'id')).toBe(new Intl.NumberFormat('id', { style: 'unit', unit: 'hour', unitDisplay: 'short' }).format(1));
  });
});
