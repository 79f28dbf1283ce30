// A core in its own process, for crash tests: `node --import tsx tests/support/core-child.ts <dataDir> [siteUrl email password]`.
// Prints one JSON line per interesting event; the parent SIGKILLs it whenever it likes.
import { startTestCore } from './portfolio-harness';

async function main(): Promise<void> {
  const [dataDir, siteUrl, email, password] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: core-child <dataDir> [siteUrl email password]');
  const out = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const c = await startTestCore(dataDir);
  c.core.events.subscribe((name, payload) => {
    if (name === 'connection.state') out({ event: 'state', state: (payload as { state: string }).state });
    else if (name === 'messages.added') out({ event: 'added', n: (payload as { messages: unknown[] }).messages.length });
    else if (process.env.SWITCHBOARD_TEST_LOG) console.log(`event ${name} ${JSON.stringify(payload).slice(0, 120)}`);
  });
  if (siteUrl && email && password) {
    const r = await c.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl, email, password });
    out({ event: 'connected', ok: r.ok });
  }
  process.on('SIGTERM', () => {
    void c.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
