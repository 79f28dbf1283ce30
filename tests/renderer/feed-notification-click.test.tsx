// Clicking the OS notification of a notification feed entry opens the Notifications view with
// that entry selected (opened and marked read): in browser mode through the Web Notification's
// click, and through the 'app.openFeedEntry' event the desktop shell sends for its own
// notifications. happy-dom has no Notification: a small stand-in records what the page shows.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/renderer/src/components/Inbox';
import { djangoNotificationsCapabilities } from '../../src/main/core/connectors/django-notifications/capabilities';
import type { FeedEntry } from '../../src/shared/domain';
import { defaultSettings } from '../../src/shared/settings';
import { installFakeApi } from './support/fake-api';
import { account, conversation, countsOf } from './support/fixtures';
import { giveScrollersASize, renderInApp } from './support/render';

class FakeWebNotification {
  static permission = 'granted';
  static shown: FakeWebNotification[] = [];
  onclick: (() => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(
    readonly title: string,
    readonly options: { body?: string; tag?: string },
  ) {
    FakeWebNotification.shown.push(this);
  }
  close(): void {
    this.onclose?.();
  }
}

let restore: () => void;
beforeEach(() => {
  restore = giveScrollersASize();
  FakeWebNotification.shown = [];
  Object.defineProperty(globalThis, 'Notification', { value: FakeWebNotification, configurable: true, writable: true });
});
afterEach(() => {
  restore();
  Reflect.deleteProperty(globalThis, 'Notification');
});

const entry = (id: number, title: string): FeedEntry => ({ id, accountId: 2, remoteId: `invite:${id}`, type: 'new_challenge_invite', title, body: 'Quick Quant Challenge (10 Q)', payload: null, createdAt: 1_700_000_000_000 + id, readAt: null });

function setup() {
  const entries = [entry(3, 'Citra invited you to a challenge'), entry(2, 'Budi invited you to a challenge'), entry(1, 'Ahmad invited you to a challenge')];
  const rows = [conversation(1, { visitorName: 'Ana' })];
  const fake = installFakeApi({
    'conversations.page': () => ({ items: rows, nextCursor: null, counts: countsOf(rows) }),
    'conversations.watch': () => null,
    'feed.page': () => ({ items: entries, nextCursor: null, unread: entries.filter((e) => e.readAt === null).length }),
    'feed.markRead': ({ entryIds }) => {
      for (const e of entries) if (entryIds.includes(e.id)) e.readAt = 1_700_000_100_000;
      return null;
    },
    'app.info': () => ({ version: '0', mode: 'web', secretsEncrypted: false, dataDir: '/tmp' }),
    'app.focus': () => null,
    'app.badge': () => ({ unread: 0, look: 'ok' }),
    'demo.status': () => ({ visitorUrl: null }),
  });
  const accounts = [account({ id: 1 }), account({ id: 2, kind: 'django-notifications', name: 'mentor.example', capabilities: djangoNotificationsCapabilities() })];
  renderInApp(<Inbox accounts={accounts} connected outbox={{}} progress={{}} settings={defaultSettings()} onSettings={() => {}} onAddAccount={() => {}} />);
  return fake;
}

/** The Notifications view's entry with this title, once the view shows. */
const entryButton = async (title: RegExp) => within(await screen.findByRole('region', { name: 'Notifications' })).findByRole('button', { name: title });

describe('OS notification of a feed entry', () => {
  it('browser mode: clicking the Web Notification opens the Notifications view with that entry selected and marked read', async () => {
    const fake = setup();
    expect(await screen.findByRole('region', { name: /Conversations/ })).toBeVisible();
    expect(screen.queryByRole('region', { name: 'Notifications' })).toBeNull();
    act(() => fake.emit('notifications.show', { key: 'feed:2', conversationId: null, accountId: 2, feedEntryId: 2, title: 'Budi invited you to a challenge', body: 'Quick Quant Challenge (10 Q)', silent: true }));
    expect(FakeWebNotification.shown.map((n) => n.title)).toEqual(['Budi invited you to a challenge']);
    act(() => FakeWebNotification.shown[0]!.onclick!());
    const budi = await entryButton(/Budi invited you/);
    expect(budi).toHaveAttribute('aria-expanded', 'true');
    expect(await entryButton(/Citra invited you/)).toHaveAttribute('aria-expanded', 'false');
    await waitFor(() => expect(fake.callsOf('feed.markRead')).toEqual([{ entryIds: [2] }]));
  });

  it('desktop: the shell’s app.openFeedEntry event does the same', async () => {
    const fake = setup();
    expect(await screen.findByRole('region', { name: /Conversations/ })).toBeVisible();
    await waitFor(() => expect(fake.listeners('app.openFeedEntry')).toBe(1));
    act(() => fake.emit('app.openFeedEntry', { feedEntryId: 1 }));
    expect(await entryButton(/Ahmad invited you/)).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() => expect(fake.callsOf('feed.markRead')).toEqual([{ entryIds: [1] }]));
  });
});
