// Plain values of the contract's types for component tests.
import type { Account, ConversationSummary, Message, StatusCounts } from '../../../src/shared/domain';

export const account = (over: Partial<Account> = {}): Account => ({
  id: 1,
  kind: 'portfolio',
  name: 'example.com',
  baseUrl: 'https://example.com',
  connectionState: 'live',
  stateDetail: null,
  lastSyncedAt: null,
  capabilities: { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' },
  ...over,
});

export const conversation = (id: number, over: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id,
  accountId: 1,
  remoteId: `r${id}`,
  visitorName: `Visitor ${id}`,
  visitorEmail: null,
  status: 'active',
  statusIsLocal: false,
  lastMessageAt: 1_700_000_000_000,
  lastMessagePreview: `Message from visitor ${id}`,
  unreadCount: 0,
  muted: false,
  visitorOnline: false,
  createdAt: 1_700_000_000_000,
  ...over,
});

export const message = (id: number, conversationId: number, over: Partial<Message> = {}): Message => ({
  id,
  conversationId,
  remoteId: `m${id}`,
  clientId: null,
  senderType: 'visitor',
  senderId: null,
  senderName: null,
  content: `Text ${id}`,
  createdAt: 1_700_000_000_000 + id * 1000,
  readAt: null,
  delivery: 'sent',
  failureReason: null,
  kind: 'text',
  payload: null,
  editedAt: null,
  ...over,
});

export const countsOf = (rows: ConversationSummary[]): StatusCounts => ({
  active: rows.filter((c) => c.status === 'active').length,
  resolved: rows.filter((c) => c.status === 'resolved').length,
  closed: rows.filter((c) => c.status === 'closed').length,
  all: rows.length,
});
