// The reference portfolio backend, started in the test process on loopback ports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPortfolioBackend, type PortfolioBackendHandle, type PortfolioBackendOptions } from '../../../backends/portfolio/src/index';

export const ADMIN = { email: 'owner@example.com', password: 'correct horse battery staple', name: 'Site Owner' };

export async function startBackend(options: PortfolioBackendOptions = {}): Promise<PortfolioBackendHandle & { cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-backend-'));
  const backend = await startPortfolioBackend({
    host: '127.0.0.1',
    port: 0,
    pusherPort: 0,
    dataDir,
    admin: ADMIN,
    visitorRateLimit: { max: 10_000, windowMs: 60_000 },
    ...options,
  });
  return Object.assign(backend, {
    cleanup: async () => {
      await backend.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
