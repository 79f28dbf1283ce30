// The engine with a hand-written fake site: a real mirror file and AccountService, the fake's
// connector for every account. For tests that need to see each call a site gets.
import { AccountService } from '../../src/main/core/accounts/account-service';
import type { Connector, Page } from '../../src/main/core/connectors/connector';
import { openDatabase } from '../../src/main/core/db/open';
import { EventBus } from '../../src/main/core/events';
import { Mirror } from '../../src/main/core/mirror/mirror';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import type { PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { realTimers } from '../../src/main/core/sync/timers';
import { migrationsDir } from './temp-db';

export function startFakeSiteService(file: string, secrets: PlainFileSecretStore, connector: Connector) {
  const mirror = new Mirror(openDatabase({ file, migrationsDir }));
  const service = new AccountService({ mirror, events: new EventBus(), secrets, connectorFactory: () => connector, clock: Date.now, random: () => 0, timers: realTimers, log: () => {} });
  return {
    mirror,
    service,
    close: async () => {
      await service.stopAll();
      mirror.close();
    },
  };
}

/** A history page as the kinds give it: newest first, `limit` at a time, before a remote id. */
export function pageNewestFirst(stored: RemoteMessage[], before: string | null, limit: number): Page<RemoteMessage> {
  const newestFirst = [...stored].reverse();
  const from = before === null ? 0 : newestFirst.findIndex((m) => m.remoteId === before) + 1;
  const items = newestFirst.slice(from, from + limit);
  return { items, next: from + limit < newestFirst.length ? items.at(-1)!.remoteId : null };
}
