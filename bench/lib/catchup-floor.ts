// The catch-up's floor: the work any engine must do on the thread that downloads, timed apart
// from the network, the engine and every event. The downloaded message pages are decoded and
// parsed (JSON.parse), checked and converted (the connector's zod schema and wire conversion),
// and mirrored (rows, their indexes, preview and unread, then the search index) on a fresh copy
// of the offline mirror, CATCH_UP_FETCHES pages per transaction as the engine commits them.
// Download CPU + these three is what the core's thread cannot go below.
import { cpSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { WireMessages, toRemoteMessage } from '../../src/main/core/connectors/portfolio/wire';
import { DATABASE_FILE } from '../../src/main/core/core';
import { openDatabase } from '../../src/main/core/db/open';
import { EventBus } from '../../src/main/core/events';
import { Mirror } from '../../src/main/core/mirror/mirror';
import { CATCH_UP_FETCHES } from '../../src/main/core/sync/catch-up';
import { MirrorWriter } from '../../src/main/core/sync/mirror-writer';

export interface DownloadedPage {
  /** The conversation's id on the site. */
  conversation: string;
  body: ArrayBuffer;
}

export interface FloorCpu {
  parseMs: number;
  wireMs: number;
  mirrorMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

export function measureFloor(offlineDir: string, work: string, migrationsDir: string, accountId: number, pages: DownloadedPage[]): FloorCpu {
  const dir = mkdtempSync(join(work, 'catchup-floor-'));
  cpSync(offlineDir, dir, { recursive: true });
  const database = openDatabase({ file: join(dir, DATABASE_FILE), migrationsDir });
  const mirror = new Mirror(database);
  try {
    const writer = new MirrorWriter({
      accountId,
      connector: { capabilities: { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' } },
      mirror,
      events: new EventBus(),
      clock: Date.now,
      started: () => true,
    });
    // Conversations new in the gap exist before the clock starts (the engine writes them from the list).
    const local = new Map<string, number>();
    mirror.transaction(() => {
      for (const { conversation } of pages) {
        if (!local.has(conversation)) local.set(conversation, writer.upsert({ remoteId: conversation, createdAt: 1 }, 1, 'sync').id);
      }
    });

    let since = process.cpuUsage();
    const decoder = new TextDecoder();
    const parsed = pages.map((p) => (JSON.parse(decoder.decode(p.body)) as { data: { messages: unknown[] } }).data.messages);
    const parseMs = cpuMs(since);

    since = process.cpuUsage();
    const items = parsed.map((messages) => WireMessages.parse(messages).map(toRemoteMessage));
    const wireMs = cpuMs(since);

    since = process.cpuUsage();
    for (let i = 0; i < pages.length; i += CATCH_UP_FETCHES) {
      mirror.transaction(() => {
        for (let j = i; j < Math.min(i + CATCH_UP_FETCHES, pages.length); j++) writer.applyMessages(local.get(pages[j]!.conversation)!, items[j]!, Date.now(), 'sync');
      });
    }
    mirror.messageIndex.catchUp();
    const mirrorMs = cpuMs(since);
    return { parseMs, wireMs, mirrorMs };
  } finally {
    mirror.close();
  }
}
