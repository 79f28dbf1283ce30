// The dialogs: modal <dialog>s that take focus, keep Tab inside, close on Escape and give focus
// back to where it was; the sign-in and settings dialogs against a fake ConsoleApi.
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Modal } from '../../src/renderer/src/components/Modal';
import { SettingsDialog } from '../../src/renderer/src/components/SettingsDialog';
import { ShortcutSheet } from '../../src/renderer/src/components/ShortcutSheet';
import { SignInDialog } from '../../src/renderer/src/components/SignInDialog';
import { defaultSettings } from '../../src/shared/settings';
import { ConsoleError } from '../../src/shared/errors';
import { installFakeApi } from './support/fake-api';
import { account } from './support/fixtures';
import { renderInApp } from './support/render';

function Opener() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      <button type="button">Elsewhere</button>
      {open && (
        <Modal label="Test dialog" onClose={() => setOpen(false)}>
          <input aria-label="First" />
          <button type="button">Middle</button>
          <button type="button" onClick={() => setOpen(false)}>
            Last
          </button>
        </Modal>
      )}
    </>
  );
}

describe('Modal', () => {
  it('opens modal with focus inside, keeps Tab inside, closes on Escape and returns focus', async () => {
    const user = userEvent.setup();
    renderInApp(<Opener />);
    const opener = screen.getByRole('button', { name: 'Open' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Test dialog' });
    expect(dialog.tagName).toBe('DIALOG');
    expect((dialog as HTMLDialogElement).open).toBe(true);
    const first = within(dialog).getByRole('textbox', { name: 'First' });
    expect(first).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Middle' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Last' })).toHaveFocus();
    await user.tab(); // wraps, never reaching "Elsewhere"
    expect(first).toHaveFocus();
    await user.tab({ shift: true });
    expect(within(dialog).getByRole('button', { name: 'Last' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('returns focus when closed by its own button, and closes on the native cancel event', async () => {
    const user = userEvent.setup();
    renderInApp(<Opener />);
    const opener = screen.getByRole('button', { name: 'Open' });
    await user.click(opener);
    await user.click(screen.getByRole('button', { name: 'Last' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
    await user.click(opener);
    act(() => {
      screen.getByRole('dialog').dispatchEvent(new Event('cancel', { cancelable: true }));
    });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('ShortcutSheet', () => {
  it('lists the shortcuts and focuses Done', async () => {
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderInApp(<ShortcutSheet onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog).toHaveTextContent('Search everything');
    expect(within(dialog).getByRole('button', { name: 'Done' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onClose).toHaveBeenCalled();
  });
});

describe('SignInDialog', () => {
  it('signs in and closes; a wrong password stays open with the reason', async () => {
    let good = false;
    const fake = installFakeApi({
      'accounts.signIn': ({ accountId }) => {
        if (!good) throw new ConsoleError('forbidden', 'Wrong email or password.');
        return account({ id: accountId });
      },
    });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderInApp(<SignInDialog account={account({ name: 'shop.example' })} onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Sign in to shop.example' });
    const email = within(dialog).getByRole('textbox', { name: 'Email' });
    expect(email).toHaveFocus();
    await user.type(email, 'owner@example.com');
    await user.type(within(dialog).getByLabelText('Password'), 'nope{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(onClose).not.toHaveBeenCalled();
    good = true;
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(fake.callsOf('accounts.signIn')).toHaveLength(2);
  });
});

describe('SettingsDialog', () => {
  it('shows the log, reports a failed clear with Retry, and clears on retry', async () => {
    let fail = true;
    const fake = installFakeApi({
      'savedReplies.list': () => [],
      'notifications.log': () => [{ id: 1, at: 1_700_000_000_000, kind: 'test', conversationId: null, shown: true, reason: 'shown', sound: false }],
      'notifications.clearLog': () => {
        if (fail) throw new ConsoleError('internal', 'database is locked');
        return null;
      },
    });
    const user = userEvent.setup();
    renderInApp(<SettingsDialog settings={defaultSettings()} mode="web" onSettings={() => {}} onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    expect(await within(dialog).findByRole('table', { name: 'Notification log' })).toBeVisible();
    await user.click(within(dialog).getByRole('button', { name: 'Clear log' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not clear the notification log. Something went wrong inside Switchboard.');
    // The log is still there: nothing was cleared.
    expect(within(dialog).getByRole('table', { name: 'Notification log' })).toBeVisible();
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await within(dialog).findByText('Nothing has been notified or suppressed yet.')).toBeVisible();
    expect(fake.callsOf('notifications.clearLog')).toHaveLength(2);
  });

  it('a log that cannot load says so and offers Retry', async () => {
    let fail = true;
    installFakeApi({
      'savedReplies.list': () => [],
      'notifications.log': () => {
        if (fail) throw new ConsoleError('unavailable', 'core restarting');
        return [];
      },
    });
    const user = userEvent.setup();
    renderInApp(<SettingsDialog settings={defaultSettings()} mode="web" onSettings={() => {}} onClose={() => {}} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the notification log.');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
