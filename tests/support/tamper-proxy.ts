// A site that misbehaves on purpose: a reverse proxy in front of the real reference backend that
// can rewrite request URLs and JSON answers. The backend stays real (its data, auth and Pusher
// triggers); only the deviation under test is made up, so no reference backend has to carry it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TamperProxy {
  url: string;
  /** Requests seen, by path (without the query). */
  counts: Map<string, number>;
  rewrite: ((url: URL) => URL) | null;
  transform: ((url: URL, json: unknown) => unknown) | null;
  /** Answers instead of the backend when it returns an answer. */
  answer: ((url: URL) => { status: number; json: unknown } | null) | null;
  close(): Promise<void>;
}

export async function startTamperProxy(target: string): Promise<TamperProxy> {
  const read = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  const proxy: TamperProxy = {
    url: '',
    counts: new Map(),
    rewrite: null,
    transform: null,
    answer: null,
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = createServer((req, res) => {
    void (async () => {
      const incoming = new URL(req.url ?? '/', target);
      proxy.counts.set(incoming.pathname, (proxy.counts.get(incoming.pathname) ?? 0) + 1);
      const url = proxy.rewrite ? proxy.rewrite(new URL(incoming)) : incoming;
      const body = await read(req);
      const own = proxy.answer?.(incoming);
      if (own) {
        res.writeHead(own.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(own.json));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const answer = await fetch(url, { method: req.method ?? 'GET', headers, body: body.length ? new Uint8Array(body) : null });
      let text = await answer.text();
      if (proxy.transform && (answer.headers.get('content-type') ?? '').includes('json')) {
        text = JSON.stringify(proxy.transform(incoming, JSON.parse(text)));
      }
      res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
    })().catch((error: unknown) => {
      res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
