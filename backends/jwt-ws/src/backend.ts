// The whole jwt-ws reference backend: the server, the owner account, the demo seed and the simulator.
import { startJwtWsServer, type JwtWsServerHandle, type JwtWsServerOptions } from './server';
import { DEMO_OWNER, seedDemo } from './seed';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from './simulator';

export interface JwtWsBackendOptions extends JwtWsServerOptions {
  /** The owner account (the console's user); --seed-demo creates DEMO_OWNER when omitted. */
  owner?: { email: string; password: string; username?: string; displayName?: string };
  seedDemo?: boolean;
  /** Number of simulated users (needs an owner). */
  simulate?: number;
  simulator?: Partial<Omit<SimulatorOptions, 'url' | 'ownerId' | 'users'>>;
}

export interface JwtWsBackendHandle {
  url: string;
  wsUrl: string;
  server: JwtWsServerHandle;
  owner: { id: string; email: string; password: string } | null;
  simulator: SimulatorHandle | null;
  close(opts?: { abrupt?: boolean }): Promise<void>;
}

export async function startJwtWsBackend(opts: JwtWsBackendOptions = {}): Promise<JwtWsBackendHandle> {
  const server = await startJwtWsServer(opts);
  let simulator: SimulatorHandle | null = null;
  try {
    const ownerInput = opts.owner ?? (opts.seedDemo ? DEMO_OWNER : undefined);
    let owner: JwtWsBackendHandle['owner'] = null;
    if (ownerInput) {
      const row = await server.service.upsertUser({
        email: ownerInput.email,
        password: ownerInput.password,
        username: ownerInput.username ?? ownerInput.email.split('@')[0]?.replace(/[^A-Za-z0-9_.-]/g, '_').padEnd(3, '_') ?? 'owner',
        displayName: ownerInput.displayName ?? 'Site Owner',
      });
      owner = { id: row.id, email: row.email, password: ownerInput.password };
    }
    if (opts.seedDemo && owner) await seedDemo(server.chatDb, server.service, owner);
    if (opts.simulate && opts.simulate > 0) {
      if (!owner) throw new Error('--simulate needs an owner (use --seed-demo or OWNER_EMAIL / OWNER_PASSWORD)');
      simulator = await startSimulator({ ...opts.simulator, log: opts.simulator?.log ?? opts.log, url: server.url, ownerId: owner.id, users: opts.simulate });
    }
    let closing: Promise<void> | null = null;
    return {
      url: server.url,
      wsUrl: server.wsUrl,
      server,
      owner,
      simulator,
      close(o) {
        closing ??= (async () => {
          await simulator?.stop();
          await server.close(o);
        })();
        return closing;
      },
    };
  } catch (err) {
    await simulator?.stop();
    await server.close();
    throw err;
  }
}
