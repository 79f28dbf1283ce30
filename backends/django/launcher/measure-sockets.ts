// What one conversation socket costs, to choose the connector's bound (how many conversations
// keep a live socket): `tsx backends/django/launcher/measure-sockets.ts [--conversations 1000]`.
// Seeds N conversations, then opens 20, 100 and all of them as the teacher (ws, like the
// console) and prints time, client heap/RSS and daphne RSS per step; plus the cost of polling
// the list (one page) versus reading all of it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startDjangoBackend } from './backend';
import { SiteClient, type SiteSocket } from './site-client';

const rssMb = (pid: number | undefined): number => {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const mb = (n: number) => `${n.toFixed(1)} MB`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { conversations: { type: 'string', default: '1000' } } });
  const n = Number(values.conversations);
  const t0 = Date.now();
  const b = await startDjangoBackend({ seedDemo: true, students: n + 1, anonThrottle: '100000/hour' });
  console.log(`seeded ${n} conversations in ${Date.now() - t0} ms`);
  try {
    const teacher = new SiteClient(b.url);
    await teacher.login(b.seed!.teacher.username, b.seed!.teacher.password);
    let t = Date.now();
    await teacher.json('GET', '/en/api/v1/chat/teacher/conversations/?page=1&page_size=100');
    console.log(`poll (one page of 100): ${Date.now() - t} ms`);
    t = Date.now();
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const data = await teacher.json<{ next: string | null; results: { id: number }[] }>('GET', `/en/api/v1/chat/teacher/conversations/?page=${page}&page_size=100`);
      ids.push(...data.results.map((r) => r.id));
      if (!data.next) break;
    }
    console.log(`full list (${ids.length} conversations, ${Math.ceil(ids.length / 100)} pages): ${Date.now() - t} ms`);

    const sockets: SiteSocket[] = [];
    const base = { client: process.memoryUsage().rss / 2 ** 20, daphne: rssMb(b.pid()) };
    console.log(`before sockets: client RSS ${mb(base.client)}, daphne RSS ${mb(base.daphne)}`);
    for (const target of [20, 100, ids.length]) {
      t = Date.now();
      while (sockets.length < target) {
        const batch = ids.slice(sockets.length, Math.min(target, sockets.length + 20));
        const opened = await Promise.all(batch.map(async (id) => {
          const s = await teacher.socket(`/ws/chat/conversations/${id}/`);
          await s.next((f) => f.type === 'connection_established', 0, 60_000);
          return s;
        }));
        sockets.push(...opened);
      }
      const client = process.memoryUsage().rss / 2 ** 20;
      const daphne = rssMb(b.pid());
      console.log(
        `${target} sockets: opened in ${Date.now() - t} ms; client RSS ${mb(client)} (+${((client - base.client) * 1024 / target).toFixed(0)} KB/socket), ` +
          `daphne RSS ${mb(daphne)} (+${((daphne - base.daphne) * 1024 / target).toFixed(0)} KB/socket)`,
      );
    }
    // A message to the newest conversation with every socket open: does daphne stay responsive?
    t = Date.now();
    const last = sockets.at(-1)!;
    last.send('ping with every socket open');
    await last.next((f) => f.type === 'new_message', 0, 60_000);
    console.log(`echo with ${sockets.length} sockets open: ${Date.now() - t} ms`);
    await Promise.all(sockets.map((s) => s.close()));
  } finally {
    await b.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
