// Raw HTTP and WebSocket traffic over node:net, for what fetch and ws refuse to send: request
// targets like `//[`, forged Host headers and malformed frames.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Sends `text` as is and resolves with everything the server answered until it closed. */
export function rawRequest(port: number, text: string | Buffer, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(out);
    }, timeoutMs);
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // The server may reset a connection it refused: that is an answer too.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve(out);
      else reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    socket.write(text);
  });
}

export const statusOf = (response: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

/** A client frame: masked unless told otherwise, any opcode and reserved bits. */
export function wsFrame(opcode: number, payload: Buffer, options: { fin?: boolean; rsv?: number; masked?: boolean } = {}): Buffer {
  const masked = options.masked ?? true;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | (opcode & 0x0f);
  const length = payload.length;
  const header: number[] = [first];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    header.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(header), mask, body]);
}

/** Opens a WebSocket by hand (a signed-in upgrade) and resolves with the raw socket after 101. */
export function rawWebSocket(port: number, headers: Record<string, string>, path = '/ws'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const lines = [
      `GET ${path} HTTP/1.1`,
      ...Object.entries({
        Host: `127.0.0.1:${port}`,
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Version': '13',
        ...headers,
      }).map(([k, v]) => `${k}: ${v}`),
    ];
    let buffered = '';
    const onData = (d: Buffer) => {
      buffered += d.toString('latin1');
      if (!buffered.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (statusOf(buffered) === 101) resolve(socket);
      else reject(new Error(`upgrade refused: ${buffered.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** Resolves once the server has closed the socket (after a protocol error). */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.on('error', () => {});
    socket.once('close', () => resolve());
    socket.resume();
  });
}
