// A helper process for the jwt-ws benchmark (bench/jwtws.ts), driven over IPC like agent.ts:
// the real jwt-ws reference server (backends/jwt-ws, its own SQLite, its hub batching the frames
// of one turn into one WebSocket message) with one member per direct room with the owner, and a
// paced generator: the members write through the server's ChatService, the code the REST route
// `POST /api/v1/messages` runs after parsing. Not over HTTP: the deployed server's rate limit
// (100 requests per minute per address, kept on for the console) would refuse 20 messages a
// second from one member, and 1,000 HTTP requests a second would load this process more than the
// server's own work. The moment each message's transaction has committed is recorded
// (process.hrtime, CLOCK_MONOTONIC, comparable with the benchmark process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startJwtWsBackend, type JwtWsBackendHandle } from '../../backends/jwt-ws/src/index';
import { Rng, language, messageText } from './data';
import { serveAgent, type AgentHandlers } from './agent-serve';
import { nowMs, sleep } from './report';

export const JWT_WS_OWNER = { email: 'owner@example.com', password: 'bench owner password' };
const MEMBER_PASSWORD = 'bench member password';

export interface JwtWsInfo {
  url: string;
  rooms: string[];
}

export interface JwtWsRun {
  sent: number;
  failed: number;
  errors: string[];
  ms: number;
  rate: number;
  /** The longest the generator fell behind its schedule (a busy helper process shows here). */
  maxBehindMs: number;
  /** [message id, room id, committed at (monotonic ms)] in commit order. */
  commits: [string, string, number][];
  /** [message id, when the hub handed its frame to the owner's socket (monotonic ms)]. */
  handedToSocket: [string, number][];
}

const PER_TURN = 10;

function state() {
  let backend: JwtWsBackendHandle | null = null;
  // The hub writes each batch through ws: note when a message's frame is handed to a socket
  // (only the owner, the console, has a socket here).
  let recording = false;
  const handed = new Map<string, number>();
  const originalSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function patchedSend(this: WebSocket, data: unknown, ...rest: unknown[]) {
    if (recording && typeof data === 'string') {
      const at = nowMs();
      for (const m of data.matchAll(/"type":"message","data":\{"message_id":"([0-9a-f-]{36})"/g)) if (!handed.has(m[1]!)) handed.set(m[1]!, at);
    }
    return (originalSend as (...a: unknown[]) => void).apply(this, [data, ...rest]);
  } as typeof WebSocket.prototype.send;
  let dir = '';
  const members: { id: string; room: string }[] = [];
  const rng = new Rng(23);
  const need = () => {
    if (!backend) throw new Error('jwtws.start first');
    return backend;
  };

  const handlers: AgentHandlers = {
    hrtime: () => nowMs(),

    'jwtws.start': async ({ rooms }: { rooms: number }) => {
      dir = mkdtempSync(join(tmpdir(), 'bench-jwt-ws-'));
      backend = await startJwtWsBackend({ port: 0, dataDir: dir, owner: { ...JWT_WS_OWNER, displayName: 'Site Owner' } });
      const svc = backend.server.service;
      for (let i = 0; i < rooms; i++) {
        const user = await svc.createUser({ email: `member${i}@example.com`, username: `member${i}`, password: MEMBER_PASSWORD, displayName: `Member ${i}` });
        const room = svc.directRoom(user.id, backend.owner!.id).room;
        // One opening message, so each room has a history for the first sync.
        svc.sendMessage(user.id, { room_id: room.id, content: `hello from member ${i}` });
        members.push({ id: user.id, room: room.id });
      }
      return { url: backend.url, rooms: members.map((m) => m.room) } satisfies JwtWsInfo;
    },

    /** `rate` messages a second over every room in turn for `durationMs`, on a schedule (not one per timer tick). */
    'jwtws.run': async ({ rate, durationMs }: { rate: number; durationMs: number }) => {
      const svc = need().server.service;
      const total = Math.round((rate * durationMs) / 1000);
      const out: JwtWsRun = { sent: 0, failed: 0, errors: [], ms: 0, rate: 0, maxBehindMs: 0, commits: [], handedToSocket: [] };
      const texts = Array.from({ length: 256 }, () => messageText(rng, language(rng)));
      const start = nowMs();
      let i = 0;
      recording = true;
      while (i < total) {
        const elapsed = nowMs() - start;
        const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
        if (due - i > 1) out.maxBehindMs = Math.max(out.maxBehindMs, elapsed - (i * 1000) / rate);
        // At most PER_TURN in one turn, as requests arriving together would be: a generator
        // that fell behind must not hold the frames of a long catch-up burst until its end.
        for (const last = Math.min(due, i + PER_TURN); i < last; i++) {
          const member = members[i % members.length]!;
          try {
            const m = svc.sendMessage(member.id, { room_id: member.room, content: texts[i % texts.length]! });
            out.commits.push([m.id, member.room, nowMs()]);
            out.sent++;
          } catch (error) {
            out.failed++;
            if (out.errors.length < 5) out.errors.push(error instanceof Error ? error.message : String(error));
          }
        }
        // Let the hub write the frames of this turn (one WebSocket message for the batch).
        if (i < due) await new Promise((resolve) => setImmediate(resolve));
        else await sleep(1);
      }
      await sleep(50); // the last batch leaves the hub
      recording = false;
      out.handedToSocket = [...handed];
      handed.clear();
      out.ms = Math.round(nowMs() - start);
      out.rate = Math.round((out.sent / Math.max(out.ms, 1)) * 1000);
      out.maxBehindMs = Math.round(out.maxBehindMs);
      return out;
    },

    /** Every message id per room, as the server stores them. */
    'jwtws.snapshot': () => {
      const out: Record<string, string[]> = {};
      for (const m of need().server.service.allMessages()) (out[m.room_id] ??= []).push(m.id);
      return out;
    },

    'jwtws.close': async () => {
      await backend?.close();
      backend = null;
      if (dir) rmSync(dir, { recursive: true, force: true });
      return null;
    },
  };
  return handlers;
}

serveAgent(state());
