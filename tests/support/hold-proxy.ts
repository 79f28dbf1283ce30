// An HTTP proxy in front of a real backend that can swallow the answers to chosen requests: the
// backend does the work (a reply is stored) but the console never hears back, as when the
// network drops after the request went out or the app dies while a reply is in flight.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldProxy {
  url: string;
  /** Requests the backend has answered whose answers are held. */
  held: number;
  /** Hold the answers of requests matching this from now on (null: hold none). */
  hold(match: ((req: IncomingMessage) => boolean) | null): void;
  /** Sends the held answers on (to clients still connected) and stops holding. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldProxy(target: string): Promise<HoldProxy> {
  const to = new URL(target);
  let match: ((req: IncomingMessage) => boolean) | null = null;
  const held: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const holdThis = match?.(req) ?? false;
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const send = () => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          };
          if (holdThis) {
            held.push(send);
            proxy.held++;
          } else send();
        });
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy: HoldProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: 0,
    hold: (m) => {
      match = m;
    },
    release: () => {
      match = null;
      for (const send of held.splice(0)) send();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return proxy;
}
