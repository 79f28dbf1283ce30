// Browser mode's real transport (src/main/web/server.ts) around a core (in this process, or a
// core host's client forwarding to a child process), for benchmarks that need events written to a renderer's socket but not the renderer itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../src/main/core/core';
import { startWebServer, type WebServer } from '../../src/main/web/server';

export async function startTransport(core: Pick<Core, 'dispatch' | 'events'>, work: string): Promise<WebServer> {
  // The server refuses to start without a built renderer; the page is never loaded here.
  const rendererDir = join(work, 'renderer-stub');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Switchboard</title><script type="module" src="./x.js"></script>\n');
  return startWebServer({ core, rendererDir, port: 0 });
}
