// Exactly-once replies on backends without an idempotency key (capabilities.idempotentSend
// false). A reply whose send may have reached the server — the app died while it was in
// flight, or the answer was lost — is never sent blindly again: the conversation's recent
// history is searched for it first, and only a reply that is not there is sent.
import type { Connector } from '../connectors/connector';
import type { Mirror } from '../mirror/mirror';
import type { RemoteMessage } from '../mirror/types';

/** Server clocks disagree with ours: a copy stamped this long before our attempt still counts. */
export const CLOCK_SKEW_MS = 10 * 60_000;
/** The history is read newest first, a page at a time, back to the first attempt (less the skew). */
const HISTORY_PAGE = 50;
/** A bound on that walk (1,000 messages): a conversation that busy since the attempt is searched no further. */
const MAX_PAGES = 20;

const sameText = (a: string, b: string) => a.trim() === b.trim();

/**
 * Finds our reply on the server: a message of ours with the same text, stamped no earlier than
 * the first attempt (less the skew), that no other reply of ours has claimed. Null when absent.
 */
export async function findSentReply(input: {
  connector: Connector;
  mirror: Mirror;
  conversationId: number;
  conversationRemoteId: string;
  content: string;
  attemptedAt: number;
}): Promise<RemoteMessage | null> {
  const { connector, mirror, conversationId } = input;
  const since = input.attemptedAt - CLOCK_SKEW_MS;
  // A busy conversation may have more than a page of new messages since the attempt: walk back
  // until the page reaches messages older than it (seen in the Django fault test under load).
  const items: RemoteMessage[] = [];
  let before: string | null = null;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await connector.messagesBefore(input.conversationRemoteId, before, HISTORY_PAGE);
    items.push(...page.items);
    if (!page.next || page.items.length === 0 || page.items.some((m) => m.createdAt < since)) break;
    before = page.next;
  }
  // Oldest first: with two equal replies in flight, the first attempt claims the older copy.
  const candidates = items
    .filter((m) => m.senderType === 'admin' && !m.deletedAt && sameText(m.content, input.content) && m.createdAt >= since)
    .sort((a, b) => a.createdAt - b.createdAt);
  for (const m of candidates) {
    const known = mirror.messages.findByRemote(conversationId, m.remoteId);
    // A copy another reply of ours already settled on is that reply's, not this one's.
    if (known && known.clientId !== null) continue;
    return m;
  }
  return null;
}
