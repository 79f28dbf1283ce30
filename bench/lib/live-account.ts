// The start shared by the live and load benchmarks: the core connects to the reference backend
// through its contract, waits until the account is live, opens the renderer's socket, lets the
// visitors write their first messages, and watches the first conversation.
import type { Core } from '../../src/main/core/core';
import type { ConnectionState } from '../../src/shared/domain';
import type { Agent } from './agent-client';
import type { BackendInfo } from './agent';
import { call } from './core';
import { MirrorReader } from './mirror-read';
import { sleep, waitFor } from './report';
import { startTransport } from './transport';

/** Filled in as they start, so the caller's finally can close them even if a later step fails. */
export interface LiveResources {
  server: Awaited<ReturnType<typeof startTransport>> | null;
  reader: MirrorReader | null;
}

/** What the start needs of a core: the in-process one, or a core host's client. */
export type ContractCore = Pick<Core, 'dispatch' | 'events' | 'start'>;

export async function connectWithVisitors(options: {
  core: ContractCore;
  visitors: Agent;
  info: BackendInfo;
  work: string;
  dataDir: string;
  visitorCount: number;
  openingTimeoutMs: number;
  resources: LiveResources;
}) {
  const { core, visitors, info, resources } = options;
  let state: ConnectionState | null = null;
  core.events.subscribe((name, payload) => {
    if (name === 'connection.state') state = (payload as { state: ConnectionState }).state;
  });
  await core.start();
  const server = (resources.server = await startTransport(core, options.work));
  const account = await call<{ id: number }>(core, 'accounts.connect', { kind: 'portfolio', siteUrl: info.apiUrl, email: info.admin.email, password: info.admin.password });
  await waitFor(() => state === 'live', 20_000, 'the account to be live');
  await visitors.call('renderer.connect', { url: server.url });
  const mirror = (resources.reader = new MirrorReader(options.dataDir));
  const remoteIds = await visitors.call<number[]>('visitors.open', { apiUrl: info.apiUrl, count: options.visitorCount });
  await waitFor(() => mirror.count(account.id) >= options.visitorCount, options.openingTimeoutMs, 'the opening messages');
  const open = { id: mirror.conversationId(account.id, String(remoteIds[0]))! };
  await call(core, 'conversations.watch', { conversationIds: [open.id] });
  // The window shows the open conversation (its message events reach the renderer's socket).
  await visitors.call('renderer.show', { conversationIds: [open.id] });
  await sleep(500); // the channel subscription and its catch-up
  return { account, mirror, remoteIds, open, connectionState: () => state };
}
