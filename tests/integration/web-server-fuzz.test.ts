// Fuzz: 1,200 random request targets, header sets and WebSocket frames (raw sockets, so
// malformed ones reach the server) against a real browser-mode host on loopback. The host runs in
// this process: any throw out of a listener fails the run as an uncaught error. Seeded, so a
// failure replays; bounded in count and in time (each exchange ends on the server's answer or
// its close, with a cap).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WebServer } from '../../src/main/web/server';
import { rawRequest, rawWebSocket, statusOf, wsFrame } from '../support/raw-http';
import { startTestHost, type TestHost } from '../support/web-host';

const SEED = Number(process.env.FUZZ_SEED ?? 16);
const TARGETS = 500;
const HEADER_SETS = 300;
const FRAME_SOCKETS = 100;
const FRAMES_PER_SOCKET = 4;

let host: TestHost;
let server: WebServer;
let origin: string;
let cookie: string;
const logged: string[] = [];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(SEED);
const int = (n: number) => Math.floor(rng() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const PIECES = ['/', '//', '[', ']', '%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%2e%2e', '..', '?', '#', '&', '=', 'token=', 'ws', 'assets', 'index.html', '@', ':', '\\', '%5c', '~', '*', 'http://evil', '\u00e9', '%ff%fe', ';', ',', '%25', '%%', '%u0041', '+'];
function randomTarget(): string {
  const n = 1 + int(8);
  let target = rng() < 0.9 ? '/' : pick(['', '*', 'http://127.0.0.1/', 'evil.example:80', '//[']);
  for (let i = 0; i < n; i++) target += rng() < 0.7 ? pick(PIECES) : String.fromCharCode(0x21 + int(0x5e));
  if (rng() < 0.05) target += 'a'.repeat(int(20_000));
  return target;
}

function randomHeaders(port: number): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const hosts = [`127.0.0.1:${port}`, 'evil.example', `localhost:${port}`, '', '127.0.0.1', '[', `127.0.0.1:${port}, evil.example`];
  if (rng() < 0.9) headers.push(['Host', pick(hosts)]);
  const names = ['Cookie', 'Origin', 'Upgrade', 'Connection', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Content-Length', 'Transfer-Encoding', 'X-Junk', 'Range', 'Accept-Encoding'];
  const values = [cookie, `${server.cookieName}=`, `${server.cookieName}=${'x'.repeat(43)}`, ';;;=;', origin, 'null', 'websocket', 'Upgrade', 'dGhlIHNhbXBsZSBub25jZQ==', '13', '99', '-1', 'chunked', 'bytes=0-', '\u00ff\u00fe', 'a'.repeat(int(9000))];
  for (let i = int(6); i > 0; i--) headers.push([pick(names), pick(values)]);
  if (rng() < 0.1) headers.push(['Bad Header Name', 'x']);
  return headers;
}

async function pool<T>(items: T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

beforeAll(async () => {
  host = await startTestHost({ log: (m) => logged.push(m) });
  ({ server, origin } = host);
  const res = await fetch(server.url, { redirect: 'manual' });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
});
afterAll(() => host?.close());

it(`survives ${TARGETS} targets, ${HEADER_SETS} header sets and ${FRAME_SOCKETS * FRAMES_PER_SOCKET} WebSocket frames (seed ${SEED})`, { timeout: 180_000 }, async () => {
  const statuses = new Map<number, number>();
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  // 1. Request targets, half of them signed in.
  const targets = Array.from({ length: TARGETS }, () => ({ target: randomTarget(), signedIn: rng() < 0.5, method: pick(['GET', 'GET', 'HEAD', 'POST', 'OPTIONS']) }));
  await pool(targets, 8, async ({ target, signedIn, method }) => {
    const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n${signedIn ? `Cookie: ${cookie}\r\n` : ''}\r\n`;
    count(statusOf(await rawRequest(server.port, Buffer.from(head, 'latin1'), 5_000)));
  });

  // 2. Header sets, on plain requests and upgrades alike.
  const headerSets = Array.from({ length: HEADER_SETS }, () => ({ target: pick(['/', '/ws', '/?token=x', '/assets/index.js', randomTarget()]), headers: randomHeaders(server.port) }));
  await pool(headerSets, 8, async ({ target, headers }) => {
    const lines = headers.map(([k, v]) => `${k}: ${v}`).join('\r\n');
    count(statusOf(await rawRequest(server.port, Buffer.from(`GET ${target} HTTP/1.1\r\n${lines}\r\nConnection: close\r\n\r\n`, 'latin1'), 5_000)));
  });

  // 3. Frames on signed-in sockets: random opcodes, reserved bits, masks, lengths and payloads,
  // then a valid call. Each socket ends with the answer to it or with the server closing it.
  let answered = 0;
  let closedByServer = 0;
  const sockets = Array.from({ length: FRAME_SOCKETS }, (_, i) => i);
  await pool(sockets, 4, async (i) => {
    const socket = await rawWebSocket(server.port, { Cookie: cookie, Origin: origin });
    let received = '';
    const probeId = 100_000 + i;
    const done = new Promise<'answered' | 'closed'>((resolve) => {
      const cap = setTimeout(() => resolve('closed'), 10_000);
      socket.on('data', (d: Buffer) => {
        received += d.toString('latin1');
        if (received.includes(`"id":${probeId}`)) {
          clearTimeout(cap);
          resolve('answered');
        }
      });
      socket.on('error', () => {});
      socket.once('close', () => {
        clearTimeout(cap);
        resolve('closed');
      });
    });
    for (let f = 0; f < FRAMES_PER_SOCKET; f++) socket.write(randomFrame());
    socket.write(wsFrame(0x1, Buffer.from(JSON.stringify({ type: 'invoke', id: probeId, method: 'app.info' }))));
    const outcome = await done;
    if (outcome === 'answered') answered++;
    else closedByServer++;
    socket.destroy();
  });

  // Still serving, and the failures were answered and logged rather than thrown.
  const page = await fetch(`${origin}/`, { headers: { cookie } });
  expect(page.status).toBe(200);
  expect(answered + closedByServer).toBe(FRAME_SOCKETS);
  expect(answered).toBeGreaterThan(0);
  expect(closedByServer).toBeGreaterThan(0);
  expect(statuses.get(0) ?? 0).toBeLessThan(TARGETS / 10);
  console.log(`fuzz seed ${SEED}: statuses ${JSON.stringify(Object.fromEntries(statuses))}; frames: ${answered} sockets answered, ${closedByServer} closed by the server; ${logged.length} log lines`);
});

function randomFrame(): Buffer {
  const kind = int(10);
  if (kind < 4) {
    // Contract-shaped JSON, mostly wrong.
    const frame = pick<unknown>([
      { type: 'invoke', id: int(1000), method: pick(['app.info', 'accounts.list', 'nope', '__proto__', 'constructor', 'conversations.page']), input: pick<unknown>([undefined, null, {}, { filter: 'x' }, [1, 2], 'x'.repeat(int(5000))]) },
      { type: 'invoke', id: 'x' },
      { id: 1.5 },
      null,
      [],
      '"str"',
      { __proto__: { polluted: true }, type: 'invoke', id: 3, method: 'app.info' },
    ]);
    return wsFrame(0x1, Buffer.from(JSON.stringify(frame) ?? 'undefined'));
  }
  const payload = Buffer.from(Array.from({ length: pick([0, 1, 2, 5, 125, 126, 200, 70_000]) }, () => int(256)));
  return wsFrame(pick([0x0, 0x1, 0x2, 0x3, 0x7, 0x8, 0x9, 0xa, 0xb, 0xf]), payload, { fin: rng() < 0.85, rsv: rng() < 0.2 ? 1 + int(7) : 0, masked: rng() < 0.9 });
}
