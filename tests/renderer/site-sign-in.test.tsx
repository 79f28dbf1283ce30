// "Sign in with the site's page": offered only in the desktop app and only for kinds whose site
// signs in on a page of its own (the portfolio site as deployed); it asks the core to connect or
// sign in with `signInWindow: true`, and a closed window reads as a calm "nothing changed".
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { FirstRun } from '../../src/renderer/src/components/FirstRun';
import { SignInDialog } from '../../src/renderer/src/components/SignInDialog';
import { ConsoleError } from '../../src/shared/errors';
import { installFakeApi } from './support/fake-api';
import { account } from './support/fixtures';
import { renderInApp } from './support/render';

const info = (mode: 'electron' | 'web') => () => ({ version: 'test', mode, secretsEncrypted: true, dataDir: '/tmp/profile' });

describe('FirstRun: sign in with the site page', () => {
  it('in the desktop app: the button connects through the sign-in window; closing it says nothing changed; then it connects', async () => {
    let closeWindow = true;
    const fake = installFakeApi({
      'app.info': info('electron'),
      'accounts.connect': () => {
        if (closeWindow) throw new ConsoleError('cancelled', 'The sign-in window was closed before you signed in.');
        return account();
      },
    });
    const onConnected = vi.fn();
    const user = userEvent.setup();
    renderInApp(<FirstRun onConnected={onConnected} />);
    await user.click(screen.getByRole('button', { name: 'Connect your site' }));
    const form = screen.getByRole('form', { name: 'Connect your site' });
    const button = await within(form).findByRole('button', { name: "Sign in with the site's page" });
    expect(button).toHaveAccessibleDescription(/separate window/);
    // The Site URL comes first.
    await user.click(button);
    expect(await screen.findByRole('alert')).toHaveTextContent('Fill in: Site URL.');
    await user.type(within(form).getByRole('textbox', { name: 'Site URL' }), 'https://shop.example.com');
    await user.type(within(form).getByRole('textbox', { name: /^Pusher key/ }), 'key-1');
    await user.type(within(form).getByRole('textbox', { name: 'Pusher cluster' }), 'ap1');
    await user.click(button);
    expect(await screen.findByRole('alert')).toHaveTextContent('The sign-in window was closed before you signed in. Nothing was changed.');
    expect(onConnected).not.toHaveBeenCalled();
    closeWindow = false;
    await user.click(button);
    await waitFor(() => expect(onConnected).toHaveBeenCalled());
    expect(fake.callsOf('accounts.connect').at(-1)).toEqual({ kind: 'portfolio', siteUrl: 'https://shop.example.com', pusherKey: 'key-1', pusherCluster: 'ap1', signInWindow: true });
    // The Connect button still signs in by hand, without the window.
    await user.type(within(form).getByRole('textbox', { name: /^Session cookie/ }), 'eyJ.pasted');
    await user.click(within(form).getByRole('button', { name: /^Connect$/ }));
    await waitFor(() => expect(fake.callsOf('accounts.connect')).toHaveLength(3));
    expect(fake.callsOf('accounts.connect').at(-1)).not.toHaveProperty('signInWindow');
  });

  it('in browser mode there is no sign-in window to offer', async () => {
    const fake = installFakeApi({ 'app.info': info('web') });
    const user = userEvent.setup();
    renderInApp(<FirstRun onConnected={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Connect your site' }));
    await waitFor(() => expect(fake.callsOf('app.info')).toHaveLength(1));
    expect(screen.getByRole('textbox', { name: /^Session cookie/ })).toBeVisible();
    expect(screen.queryByRole('button', { name: "Sign in with the site's page" })).toBeNull();
  });
});

describe('SignInDialog: sign in again with the site page', () => {
  it('in the desktop app the dialog offers the window and signs in through it', async () => {
    const fake = installFakeApi({ 'app.info': info('electron'), 'accounts.signIn': ({ accountId }) => account({ id: accountId }) });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderInApp(<SignInDialog account={account({ id: 7, name: 'shop.example' })} onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Sign in to shop.example' });
    await user.click(await within(dialog).findByRole('button', { name: "Sign in with the site's page" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(fake.callsOf('accounts.signIn')).toEqual([{ kind: 'portfolio', accountId: 7, signInWindow: true }]);
  });
});
