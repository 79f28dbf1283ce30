import type { Capabilities } from '../../../../shared/domain';

/** No server status, no idempotent send, no account-wide socket (sockets per conversation), agents can be started. */
export const openmanusCapabilities: Capabilities = {
  serverStatus: false,
  idempotentSend: false,
  catchUp: 'poll',
  readReceipts: false,
  typing: false,
  shape: 'inbox',
  startConversations: true,
};
