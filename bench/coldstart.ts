// 8. Cold start of browser mode on a profile with 1,000,000 messages: from spawning
// `node out/main/web.js` to the first inbox page answered over the WebSocket (the token
// exchange and the socket's opening included), several times. Then the core's memory with that
// mirror open, after what a first minute in the inbox does: the inbox page, a conversation,
// a search. "Cold" is the process; the operating system's file cache is warm (the fixture was
// just written, and clearing it needs root).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanCloseMark } from '../src/main/core/db/clean-close';
import type { ConversationSummary } from '../src/shared/domain';
import { builtWebEntry, sized, type Bench } from './lib/context';
import { historySpec, profile } from './lib/fixtures';
import { figure, median, nowMs, round } from './lib/report';
import { WebClient, firstMinute, memoryOf, startWebApp } from './lib/web-client';

export const bench: Bench = {
  name: 'coldstart',
  title: '8. Cold start to the first inbox page (browser mode, 1,000,000 messages); core RSS',
  async run(ctx) {
    const entry = builtWebEntry(ctx.root);
    const history = profile(ctx, historySpec(ctx));
    const runs = sized(ctx, 5, 2);
    const starts: { total: number; printed: number; firstPage: number }[] = [];
    let memory = { rssMb: 0, peakMb: 0 };
    let firstPageRows = 0;
    // Run 0 starts as after a crash (no clean-close mark: src/main/core/db/clean-close.ts), so the
    // mirror is checked page by page before the first page; it is reported apart, not in the median.
    rmSync(cleanCloseMark(join(history.dir, 'switchboard.sqlite')), { force: true });
    let checked = 0;
    for (let r = -1; r < runs; r++) {
      const t0 = nowMs();
      const app = await startWebApp(entry, history.dir, nowMs);
      try {
        const client = await WebClient.connect(app.url);
        const asked = nowMs();
        const page = await client.invoke<{ items: ConversationSummary[]; counts: { all: number } }>('conversations.page', { filter: 'active', limit: 100 });
        const done = nowMs();
        if (r < 0) {
          checked = done - t0;
          ctx.log(`after a crash (page-by-page check): first inbox page ${Math.round(checked)} ms after spawn`);
          client.close();
          continue;
        }
        starts.push({ total: done - t0, printed: app.printedAt - t0, firstPage: done - asked });
        firstPageRows = page.items.length;
        // A first minute in the inbox: open the newest conversation, scroll it back, search.
        await firstMinute(client, page.items[0]!.id, ['terima kasih', 'pengiriman']);
        const m = memoryOf(app.process.pid!);
        memory = { rssMb: Math.max(memory.rssMb, m.rssMb), peakMb: Math.max(memory.peakMb, m.peakMb) };
        client.close();
      } finally {
        await app.stop();
      }
      ctx.log(`run ${r + 1}/${runs}: first inbox page ${Math.round(starts.at(-1)!.total)} ms after spawn`);
    }
    const total = median(starts.map((s) => s.total));
    return {
      figures: [
        figure({ id: 'coldstart.ms', name: `cold start → first inbox page (${history.spec.messages.toLocaleString('en')} msgs), median of ${runs}`, value: round(total), unit: 'ms', limit: 300 }),
        figure({ id: 'coldstart.rss', name: 'core RSS with that mirror open (after first use)', value: memory.rssMb, unit: 'MB', limit: 150 }),
        figure({ id: 'coldstart.peak', name: 'core peak RSS (VmHWM)', value: memory.peakMb, unit: 'MB' }),
        figure({ id: 'coldstart.checked', name: 'the same start after a crash (the mirror checked page by page)', value: round(checked), unit: 'ms' }),
      ],
      info: {
        runs: starts.map((s) => ({ total: Math.round(s.total), urlPrinted: Math.round(s.printed), firstPageRequest: round(s.firstPage) })),
        messages: history.spec.messages,
        conversations: history.spec.conversations,
        firstPageRows,
        databaseMb: Math.round(history.bytes / 1e6),
      },
    };
  },
};
