import type { Capabilities } from '../../../../shared/domain';

/**
 * backends.md §2: no server status, no idempotency key (replies are confirmed by their socket
 * echo and reconciled with the history), no teacher-wide socket (the list is polled), and no
 * usable read receipts the teacher controls (reading history marks the student's messages read).
 */
export const djangoChatCapabilities = (): Capabilities => ({
  serverStatus: false,
  idempotentSend: false,
  catchUp: 'poll',
  readReceipts: false,
  typing: false,
  shape: 'inbox',
  startConversations: false,
  historyReadMarksRead: true,
});
