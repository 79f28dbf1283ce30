import type { Capabilities } from '../../../../shared/domain';

/** Without the reference backend's extensions a site has no cursor, no idempotent send and no read receipts. */
export const portfolioCapabilities = (extensions: boolean): Capabilities => ({
  serverStatus: true,
  idempotentSend: extensions,
  catchUp: extensions ? 'cursor' : 'page-back',
  readReceipts: extensions,
  typing: true,
  shape: 'inbox',
  startConversations: false,
});
