// npm run backend -- [--port 8080] [--pusher-port 6001] [--data DIR] [--seed-demo] [--simulate N]
import { resolve } from 'node:path';
import { closeOnSignals, intArg as int, parseCli } from '../../cli-args';
import { startPortfolioBackend } from './backend';
import { runDeployedCli } from './deployed/cli';

const USAGE = `Usage: npm run backend -- [options]

  --port N          chat API and visitor page port (default 8080; 0 = any free port)
  --pusher-port N   Pusher-protocol server port (default 6001; 0 = any free port)
  --data DIR        data directory for portfolio.sqlite (default backends/portfolio/.data)
  --seed-demo       load demo conversations; creates the demo admin unless ADMIN_EMAIL/ADMIN_PASSWORD are set
  --simulate N      run N simulated visitors
  --no-extensions   behave like the bare seed (no config, catch-up, idempotency, read receipts, visitor-online)
  --as-deployed     behave like the real deployed site (backends.md §1 "As deployed"): /admin/login cookie,
                    no login API, no config endpoint, unpaged lists, AI auto-reply (data: portfolio-deployed.sqlite)
  --no-ai           with --as-deployed: the AI settings are created with the AI off
  --verbose         log webhook and trigger failures
  -h, --help        this help

Environment: ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_NAME, PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET, JWT_SECRET
  (--as-deployed reads AUTH_SECRET and PUSHER_CLUSTER instead of JWT_SECRET)`;

async function main(): Promise<void> {
  const values = parseCli(
    {
      port: { type: 'string' },
      'pusher-port': { type: 'string' },
      data: { type: 'string' },
      'seed-demo': { type: 'boolean' },
      simulate: { type: 'string' },
      'no-extensions': { type: 'boolean' },
      'as-deployed': { type: 'boolean' },
      'no-ai': { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
    USAGE,
  );
  if (!values) return;
  const env = process.env;
  if (values['as-deployed'] || values['no-ai']) {
    if (!values['as-deployed']) {
      console.error('--no-ai needs --as-deployed');
      process.exit(2);
    }
    await runDeployedCli(
      {
        port: int(values.port, '--port', 8080),
        pusherPort: int(values['pusher-port'], '--pusher-port', 6001),
        dataDir: values.data ? resolve(values.data) : resolve(__dirname, '../.data'),
        seedDemo: values['seed-demo'] ?? false,
        simulate: int(values.simulate, '--simulate', 0),
        ai: !values['no-ai'],
        log: values.verbose ? (line) => console.error(`[backend] ${line}`) : undefined,
      },
      env,
    );
    return;
  }
  const admin =
    env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, name: env.ADMIN_NAME ?? 'Admin' } : undefined;
  const dataDir = values.data ? resolve(values.data) : resolve(__dirname, '../.data');
  const backend = await startPortfolioBackend({
    port: int(values.port, '--port', 8080),
    pusherPort: int(values['pusher-port'], '--pusher-port', 6001),
    dataDir,
    seedDemo: values['seed-demo'] ?? false,
    simulate: int(values.simulate, '--simulate', 0),
    admin,
    app: { id: env.PUSHER_APP_ID, key: env.PUSHER_KEY, secret: env.PUSHER_SECRET },
    jwtSecret: env.JWT_SECRET,
    extensions: !values['no-extensions'],
    log: values.verbose ? (line) => console.error(`[backend] ${line}`) : undefined,
  });

  const lines = [
    `Switchboard portfolio backend`,
    `  API URL:      ${backend.apiUrl}`,
    `  Visitor page: ${backend.visitorUrl}`,
    `  Pusher:       host ${backend.pusher.host} port ${backend.pusher.port} key ${backend.pusher.key} app ${backend.pusher.appId} cluster ${backend.pusher.cluster} (forceTLS false)`,
    `  Data:         ${dataDir}`,
  ];
  if (backend.admin) {
    lines.push(
      admin
        ? `  Admin:        ${backend.admin.email} (from ADMIN_EMAIL / ADMIN_PASSWORD)`
        : `  Admin:        ${backend.admin.email} / ${backend.admin.password} (demo admin)`,
    );
  } else {
    lines.push('  Admin:        none configured now (set ADMIN_EMAIL and ADMIN_PASSWORD, or use --seed-demo)');
  }
  if (backend.simulator) lines.push(`  Simulator:    ${backend.simulator.stats().visitors} visitors`);
  console.log(lines.join('\n'));

  closeOnSignals(() => backend.close(), 'Shutting down…');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
