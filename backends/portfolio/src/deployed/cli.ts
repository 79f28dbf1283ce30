// `npm run backend -- --as-deployed`: starts the deployed flavour and prints its configuration.
import { closeOnSignals } from '../../../cli-args';
import { configSources, deployedConfigFromEnv } from './config';
import { startDeployedBackend, type DeployedBackendHandle } from './backend';

export interface DeployedCliOptions {
  port: number;
  pusherPort: number;
  dataDir: string;
  seedDemo: boolean;
  simulate: number;
  ai: boolean;
  log?: (line: string) => void;
}

/** Starts the flavour, prints the banner and shuts down cleanly on SIGINT / SIGTERM. */
export async function runDeployedCli(o: DeployedCliOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const { backend, banner } = await startDeployedFromCli(o, env);
  console.log(banner);
  closeOnSignals(() => backend.close(), 'Shutting down…');
}

export async function startDeployedFromCli(o: DeployedCliOptions, env: NodeJS.ProcessEnv): Promise<{ backend: DeployedBackendHandle; banner: string }> {
  const cfg = deployedConfigFromEnv(env);
  const src = configSources(env);
  const backend = await startDeployedBackend({
    port: o.port,
    pusherPort: o.pusherPort,
    dataDir: o.dataDir,
    seedDemo: o.seedDemo,
    simulate: o.simulate,
    ai: o.ai,
    authSecret: cfg.authSecret,
    app: { id: cfg.pusher.appId, key: cfg.pusher.key, secret: cfg.pusher.secret, cluster: cfg.pusher.cluster },
    ...(cfg.admin ? { admin: cfg.admin } : {}),
    log: o.log,
  });
  const from = (name: keyof typeof src, dflt: string): string => (src[name] === 'env' ? `from ${name}` : `default${dflt ? `: ${dflt}` : ''}; set ${name} to change`);
  const p = backend.pusher;
  const lines = [
    'Switchboard portfolio backend — as deployed (cookie sign-in, no config endpoint, AI auto-reply)',
    `  Site URL:     ${backend.apiUrl}`,
    `  Admin login:  ${backend.loginUrl}`,
    `  Visitor page: ${backend.visitorUrl}`,
    `  AUTH_SECRET:  ${backend.authSecret} (${from('AUTH_SECRET', src.AUTH_SECRET === 'env' ? '' : 'generated, kept in the database')})`,
    `  PUSHER_APP_ID ${p.appId} (${from('PUSHER_APP_ID', 'portfolio')})`,
    `  PUSHER_KEY    ${p.key} (${from('PUSHER_KEY', 'portfolio-key')})`,
    `  PUSHER_SECRET ${src.PUSHER_SECRET === 'env' ? '(from PUSHER_SECRET)' : `${p.secret} (default: random per run)`}`,
    `  PUSHER_CLUSTER ${p.cluster} (${from('PUSHER_CLUSTER', 'mt1')})`,
    `  Pusher server: this machine, host ${p.host} port ${p.port}, TLS off (enter as the host/port override)`,
    `  Data:         ${o.dataDir}`,
  ];
  if (backend.admin) {
    lines.push(
      cfg.admin
        ? `  Admin:        ${backend.admin.email}, user id ${backend.admin.id} (from ADMIN_EMAIL / ADMIN_PASSWORD)`
        : `  Admin:        ${backend.admin.email} / ${backend.admin.password}, user id ${backend.admin.id} (demo admin)`,
    );
  } else {
    lines.push('  Admin:        none configured now (set ADMIN_EMAIL and ADMIN_PASSWORD, or use --seed-demo)');
  }
  lines.push(o.ai ? '  AI replies:   on (the settings row is created with the AI on at first use), autoReplyDelay 1500 ms' : '  AI replies:   created off (--no-ai); PATCH /api/chat/settings {aiEnabled:true} turns them on');
  if (backend.simulator) lines.push(`  Simulator:    ${backend.simulator.stats().visitors} visitors`);
  return { backend, banner: lines.join('\n') };
}
