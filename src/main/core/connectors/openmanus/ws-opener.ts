// The production OpenSocket: the `ws` package, with headers a page could not set (Cookie), a
// refused upgrade reported as its HTTP status, and a frame size cap.
import WebSocket from 'ws';
import type { OpenSocket } from './conversation-socket';

export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export const openWs: OpenSocket = (url, headers, handlers) => {
  const ws = new WebSocket(url, { headers, maxPayload: MAX_FRAME_BYTES, handshakeTimeout: 15_000 });
  ws.on('open', () => handlers.open());
  ws.on('message', (data, isBinary) => {
    if (!isBinary) handlers.message(data.toString());
  });
  ws.on('unexpected-response', (req, res) => {
    handlers.rejected(res.statusCode ?? 0);
    req.destroy();
  });
  ws.on('error', (error) => handlers.error(error));
  ws.on('close', (code, reason) => handlers.close(code, reason.toString()));
  return {
    close: () => {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000);
    },
  };
};
