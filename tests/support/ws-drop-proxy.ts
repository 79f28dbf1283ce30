// A TCP proxy in front of a real site that lets plain HTTP through and controls WebSocket
// upgrades: drop() cuts every open socket and refuses new ones (REST keeps working), restore()
// lets them through again, inject() writes a raw server frame into the open sockets (a
// malformed notification the real server would never send), and hold() keeps what the site
// sends down the open sockets from reaching the console (a reply stored, its echo lost).
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface WsDropProxy {
  url: string;
  drop(): void;
  restore(): void;
  /** From now on, upgrades carry this Origin instead of the console's (a site behind a host it does not know). */
  forgeOrigin(origin: string | null): void;
  /** Sends `text` as one unmasked text frame to every open upgraded socket. */
  inject(text: string): number;
  /**
   * From now on, what the site sends down upgraded sockets is kept back; release() lets it
   * through. With `from`, a socket is held only from the first chunk holding that text (the
   * site's frames are plain text: it negotiates no compression).
   */
  hold(from?: string): void;
  release(): void;
  /** Upgraded sockets open now. */
  readonly sockets: number;
  close(): Promise<void>;
}

export async function startWsDropProxy(targetPort: number): Promise<WsDropProxy> {
  let down = false;
  let forged: string | null = null;
  let held: Map<Socket, Buffer[]> | null = null;
  let holdFrom: Buffer | null = null;
  const upgraded = new Set<Socket>();
  const all = new Set<Socket>();
  const server = createServer((client) => {
    all.add(client);
    const upstream = connect(targetPort, '127.0.0.1');
    let first = true;
    client.on('data', (chunk: Buffer) => {
      if (first) {
        first = false;
        if (/^upgrade:\s*websocket/im.test(chunk.toString('latin1'))) {
          if (down) {
            client.destroy();
            upstream.destroy();
            return;
          }
          upgraded.add(client);
          if (forged) chunk = Buffer.from(chunk.toString('latin1').replace(/^origin:[^\r\n]*/im, `Origin: ${forged}`), 'latin1');
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (held && upgraded.has(client) && (held.has(client) || !holdFrom || chunk.includes(holdFrom))) held.set(client, [...(held.get(client) ?? []), chunk]);
      else client.write(chunk);
    });
    const end = () => {
      upgraded.delete(client);
      all.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    drop() {
      down = true;
      for (const s of upgraded) s.destroy();
      upgraded.clear();
    },
    restore() {
      down = false;
    },
    forgeOrigin(origin) {
      forged = origin;
    },
    inject(text) {
      const payload = Buffer.from(text, 'utf8');
      if (payload.length > 125) throw new Error('inject: keep test frames short');
      for (const s of upgraded) s.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
      return upgraded.size;
    },
    hold(from) {
      held = new Map();
      holdFrom = from === undefined ? null : Buffer.from(from, 'utf8');
    },
    release() {
      const kept = held;
      held = null;
      for (const [client, chunks] of kept ?? []) if (!client.destroyed) for (const c of chunks) client.write(c);
    },
    get sockets() {
      return upgraded.size;
    },
    async close() {
      for (const s of all) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
