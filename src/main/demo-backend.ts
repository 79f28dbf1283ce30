// "Try the demo" runs the reference portfolio backend inside the app. The core never imports a
// backend (layer rule); the composition roots hand it this launcher instead.
import type { DemoBackendLauncher } from './core/demo/demo';

export const launchDemoBackend: DemoBackendLauncher = async (options) => {
  // Loaded when the demo starts, not with the app: the backend and the Pusher server SDK it
  // triggers through were about 50 ms of every start (bench: coldstart), demo or not.
  const { DEMO_ADMIN, startPortfolioBackend } = await import('../../backends/portfolio/src/index');
  const backend = await startPortfolioBackend({
    host: '127.0.0.1',
    port: 0,
    pusherPort: 0,
    dataDir: options.dataDir,
    seedDemo: options.seedDemo,
    admin: { ...DEMO_ADMIN },
    simulate: options.simulate,
    ...(options.publicDir ? { publicDir: options.publicDir } : {}),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    log: options.log,
  });
  return {
    apiUrl: backend.apiUrl,
    visitorUrl: backend.visitorUrl,
    admin: { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password },
    pusher: { key: backend.pusher.key, cluster: backend.pusher.cluster, host: backend.pusher.host, port: backend.pusher.port },
    close: () => backend.close(),
  };
};
