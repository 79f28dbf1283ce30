import type { Capabilities } from '../../../../shared/domain';

/**
 * backends.md §3: a feed, nothing to reply to; no server status, no idempotency key, no typing or
 * read receipts (read is kept on this computer). One account-wide socket, caught up through the
 * challenges list after every (re)connect.
 */
export const djangoNotificationsCapabilities = (): Capabilities => ({
  serverStatus: false,
  idempotentSend: false,
  catchUp: 'page-back',
  readReceipts: false,
  typing: false,
  shape: 'feed',
  startConversations: false,
});
