// "New conversation" (agent kinds): the connector starts it on the backend and announces it to the
// engine, which mirrors it the usual way (confirm, then fetch its history); this waits for that
// row so the inbox can open it. Nothing here writes to the mirror: the engine stays its one writer.
import { ConsoleError } from '../../../shared/contract';
import { ConnectorError, type Connector } from '../connectors/connector';
import type { EventBus } from '../events';
import type { Mirror } from '../mirror/mirror';
import type { ConversationRow } from '../mirror/rows';
import type { Timers } from '../sync/timers';

export interface StartConversationDeps {
  accountId: number;
  connector: Connector;
  mirror: Mirror;
  events: EventBus;
  timers: Timers;
  /** How long the engine may take to mirror it before the user is told it will show up later. */
  waitMs?: number;
}

/** A connector's refusal as the user reads it. */
function startError(error: unknown): unknown {
  if (!(error instanceof ConnectorError)) return error;
  if (error.kind === 'auth') return new ConsoleError('forbidden', `Sign in again to start a conversation: ${error.message}`);
  if (error.kind === 'transient') return new ConsoleError('unavailable', `The backend cannot be reached: ${error.message}`);
  return new ConsoleError('bad-request', error.message);
}

export async function startConversation(deps: StartConversationDeps, input: { content: string; model?: string }): Promise<ConversationRow> {
  const { connector, mirror, events, accountId, timers } = deps;
  if (!connector.capabilities.startConversations || !connector.startConversation) {
    throw new ConsoleError('bad-request', 'This account cannot start conversations.');
  }
  let remoteId: string;
  try {
    remoteId = (await connector.startConversation(input)).conversation.remoteId;
  } catch (error) {
    throw startError(error);
  }
  const find = () => mirror.conversations.findByRemote(accountId, remoteId);
  const found = find();
  if (found) return found;
  return new Promise<ConversationRow>((resolve, reject) => {
    const stop = events.subscribe((name, payload) => {
      if (name !== 'conversations.changed' || (payload as { accountId: number }).accountId !== accountId) return;
      const row = find();
      if (!row) return;
      done();
      resolve(row);
    });
    const timer = timers.setTimeout(() => {
      done();
      reject(new ConsoleError('unavailable', 'The agent has started, but its conversation has not reached this computer yet. It will show in the list when it does.'));
    }, deps.waitMs ?? 30_000);
    const done = () => {
      stop();
      timers.clearTimeout(timer);
    };
  });
}
