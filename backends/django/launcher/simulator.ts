// Simulated students: each logs in over the real API, opens its mentor conversation socket
// (/ws/chat/my-conversation/) with the session cookie and writes at random intervals. A dropped
// socket (daphne restarted) is reopened after a short backoff.
import { SiteClient, type SiteSocket } from './site-client';
import type { Credentials } from './backend';

export interface SimulatorOptions {
  url: string;
  students: Credentials[];
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Messages per student (default: unlimited). */
  messages?: number;
  log?: (line: string) => void;
}

export interface SimulatorStats {
  sent: number;
  echoed: number;
  received: number;
  reconnects: number;
  errors: number;
}

const LINES = [
  'Could you check my answer to question 4?',
  'I finished the reading, what next?',
  'Is the quiz on Thursday or Friday?',
  'Thanks, that helped!',
  'I still do not get the second method.',
  'Can we go over the practice test?',
];

export interface Simulator {
  stats(): SimulatorStats;
  stop(): Promise<void>;
}

export function startStudentSimulator(o: SimulatorOptions): Simulator {
  const min = o.minDelayMs ?? 3000;
  const max = Math.max(min, o.maxDelayMs ?? 9000);
  const stats: SimulatorStats = { sent: 0, echoed: 0, received: 0, reconnects: 0, errors: 0 };
  let stopped = false;
  const sockets = new Set<SiteSocket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  };
  const fail = (who: string, err: unknown): void => {
    stats.errors++;
    o.log?.(`simulator ${who}: ${(err as Error).message}`);
  };

  const runStudent = (cred: Credentials): void => {
    const client = new SiteClient(o.url);
    let sentByMe = 0;
    const connect = async (): Promise<void> => {
      if (!client.access) await client.login(cred.username, cred.password);
      const socket = await client.socket('/ws/chat/my-conversation/');
      sockets.add(socket);
      socket.ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type?: string; message?: { is_own_message?: boolean } };
        if (frame.type !== 'new_message') return;
        if (frame.message?.is_own_message) stats.echoed++;
        else stats.received++;
      });
      const tick = (): void => {
        if (o.messages !== undefined && sentByMe >= o.messages) return;
        if (socket.ws.readyState !== socket.ws.OPEN) return;
        socket.send(`${LINES[Math.floor(Math.random() * LINES.length)]} (${cred.username} #${++sentByMe})`);
        stats.sent++;
        later(min + Math.random() * (max - min), tick);
      };
      later(min + Math.random() * (max - min), tick);
      void socket.closed.then(() => {
        sockets.delete(socket);
        if (stopped) return;
        stats.reconnects++;
        later(1000, () => void connect().catch(retry));
      });
    };
    const retry = (err: unknown): void => {
      fail(cred.username, err);
      later(2000, () => void connect().catch(retry));
    };
    void connect().catch(retry);
  };

  for (const cred of o.students) runStudent(cred);
  return {
    stats: () => ({ ...stats }),
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all([...sockets].map((s) => s.close()));
    },
  };
}
