// An HTTP proxy in front of a real backend that can swallow the answers to chosen requests: the
// backend does the work (a reply is stored) but the console never hears back, as when the
// network drops after the request went out or the app dies while a reply is in flight.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

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
  // WebSocket upgrades pass through untouched (a backend with its socket on the same port, jwt-ws).
  const tunnels = new Set<{ destroy(): void }>();
  server.on('upgrade', (req: IncomingMessage, client, head: Buffer) => {
    tunnels.add(client);
    const upstream = connect(Number(to.port), to.hostname, () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        headers.push(`${name}: ${name.toLowerCase() === 'host' ? to.host : req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    const end = () => {
      tunnels.delete(client);
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', end);
    upstream.on('close', end);
    client.on('error', end);
    client.on('close', end);
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
        for (const t of tunnels) t.destroy();
        server.close(() => r());
      }),
  };
  return proxy;
}
