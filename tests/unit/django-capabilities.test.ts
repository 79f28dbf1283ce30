// What the two Django kinds tell the engine they can do (backends.md §2 and §3): the engine and
// the UI act on each flag (polling, outbox reconciliation, the read-side-effect note, the feed
// view), so each is pinned here. No site is involved.
import { describe, expect, it } from 'vitest';
import { djangoChatCapabilities } from '../../src/main/core/connectors/django-chat/capabilities';
import { djangoNotificationsCapabilities } from '../../src/main/core/connectors/django-notifications/capabilities';

describe('Django capabilities', () => {
  it('mentor chat: an inbox polled for its list, replies reconciled by echo and history, reading marks read on the site', () => {
    expect(djangoChatCapabilities()).toStrictEqual({
      serverStatus: false,
      idempotentSend: false,
      catchUp: 'poll',
      readReceipts: false,
      typing: false,
      shape: 'inbox',
      startConversations: false,
      historyReadMarksRead: true,
    });
  });

  it('challenge notifications: a feed caught up page by page, nothing to send', () => {
    expect(djangoNotificationsCapabilities()).toStrictEqual({
      serverStatus: false,
      idempotentSend: false,
      catchUp: 'page-back',
      readReceipts: false,
      typing: false,
      shape: 'feed',
      startConversations: false,
    });
  });
});
