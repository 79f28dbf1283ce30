// npm run backend:jwt-ws -- [--port 8080] [--data DIR] [--seed-demo] [--simulate N] [--access-ttl S] [--rate-limit N]
import { resolve } from 'node:path';
import { closeOnSignals, intArg as int, parseCli } from '../../cli-args';
import { startJwtWsBackend } from './backend';

const USAGE = `Usage: npm run backend:jwt-ws -- [options]

  --port N          REST API and /ws port (default 8080; 0 = any free port)
  --data DIR        directory of jwt-ws.sqlite (default backends/jwt-ws/.data)
  --seed-demo       load demo users and rooms once; creates the demo owner unless OWNER_EMAIL/OWNER_PASSWORD are set
  --simulate N      run N simulated users writing in rooms with the owner
  --access-ttl S    access token lifetime in seconds (default 900)
  --refresh-ttl S   refresh token lifetime in seconds (default 604800)
  --rate-limit N    requests per minute per address (default 100; 0 = off)
  --verbose         log server errors to stderr
  -h, --help        this help

Environment: OWNER_EMAIL, OWNER_PASSWORD, OWNER_NAME, JWT_SECRET`;

async function main(): Promise<void> {
  const values = parseCli(
    {
      port: { type: 'string' },
      data: { type: 'string' },
      'seed-demo': { type: 'boolean' },
      simulate: { type: 'string' },
      'access-ttl': { type: 'string' },
      'refresh-ttl': { type: 'string' },
      'rate-limit': { type: 'string' },
      verbose: { type: 'boolean' },
    },
    USAGE,
  );
  if (!values) return;
  const env = process.env;
  const owner = env.OWNER_EMAIL && env.OWNER_PASSWORD ? { email: env.OWNER_EMAIL, password: env.OWNER_PASSWORD, displayName: env.OWNER_NAME } : undefined;
  const simulate = int(values.simulate, '--simulate', 0, 250);
  if (simulate > 0 && !owner && !values['seed-demo']) {
    console.error('--simulate needs an owner: pass --seed-demo or set OWNER_EMAIL and OWNER_PASSWORD');
    process.exit(2);
  }
  const rate = int(values['rate-limit'], '--rate-limit', 100, 1_000_000);
  const dataDir = values.data ? resolve(values.data) : resolve(__dirname, '../.data');
  const log = values.verbose ? (line: string) => console.error(`[jwt-ws] ${line}`) : undefined;
  const backend = await startJwtWsBackend({
    port: int(values.port, '--port', 8080),
    dataDir,
    seedDemo: values['seed-demo'] ?? false,
    simulate,
    owner,
    jwtSecret: env.JWT_SECRET || undefined,
    accessTtlSeconds: int(values['access-ttl'], '--access-ttl', 900, 31_536_000) || 900,
    refreshTtlSeconds: int(values['refresh-ttl'], '--refresh-ttl', 604_800, 31_536_000 * 10) || 604_800,
    rateLimit: rate === 0 ? false : { max: rate, windowMs: 60_000 },
    log,
  });

  const who = backend.owner ? (owner ? `${backend.owner.email} (password from OWNER_PASSWORD)` : `${backend.owner.email} / ${backend.owner.password}`) : 'none';
  // Exactly one line, so a script can wait for it and read every field.
  console.log(`jwt-ws ready url=${backend.url} ws=${backend.wsUrl} owner=${who} simulate=${simulate} data=${dataDir}`);

  closeOnSignals(() => backend.close());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
