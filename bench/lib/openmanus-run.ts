// The OpenManus agent flood shared by the openmanus benchmarks: the real reference backend
// (Django Channels + daphne under /usr/bin/python3, backends/openmanus) with its scripted agent
// paced so that one `#steps=N` run sends about `events` frames in `seconds`; a conversation with
// one short finished run for the console's first sync; a second client (a plain `ws` socket on
// that conversation, in the benchmark's process) that counts every frame the backend sends.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startOpenManus, type OpenManusProcess } from '../../backends/openmanus/testing';
import { nowMs, sleep, waitFor } from './report';

/** Frames of one `#steps=N` step (script.py): step, thoughts start/finish, usage, tools prepared, assistant message, tool result, tool message. */
export const FRAMES_PER_STEP = 8;
/** Ticks of one step (script.py: 1 + 1 + 2 + 0 + 1 + 0 + 2 + 0). */
const TICKS_PER_STEP = 7;

export interface StoredMessage {
  id: string;
  role: string;
  tool_calls: unknown[] | null;
  created_at: string;
}

export interface OpenManusFlood {
  backend: OpenManusProcess;
  token: string;
  steps: number;
  tickMs: number;
  /** The conversation of the runs (its first short run is over). */
  remoteId: string;
  stored(): Promise<StoredMessage[]>;
  /** Opens the second client on the conversation. */
  observe(): Promise<void>;
  /** What the second client saw since the last run started. */
  frames: { event: string; id?: string }[];
  /** Starts the big run and resolves when its last frame (agent.finished or agent.error) was seen: its length in ms. */
  run(): Promise<number>;
  close(): Promise<void>;
}

export async function startOpenManusFlood(work: string, events: number, seconds: number): Promise<OpenManusFlood> {
  const steps = Math.floor((events - 7) / FRAMES_PER_STEP);
  // The backend spends about 3 ms per action beyond its ticks (a quick run of 200 frames took
  // 2.6 s for 1.9 s of ticks); the run's real length and rate are in the table.
  const tickMs = Math.max(1, Math.floor((seconds * 1000 - 3 * events) / (steps * TICKS_PER_STEP + 5)));
  // The run needs more steps than the backend's default cap of 20 (the child inherits the environment).
  process.env.OPENMANUS_AGENT_MAX_STEPS = String(steps + 2);
  const backend = await startOpenManus({ dataDir: mkdtempSync(join(work, 'openmanus-backend-')), tickMs });
  let observer: WebSocket | null = null;
  try {
    const token = await backend.mint(1800);
    const rest = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${backend.api}/v1/chat${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const { id: remoteId } = await rest<{ id: string }>('POST', '/conversations', { model: 'gpt-4o', content: 'warm up #ok #steps=1' });
    const stored = async () => (await rest<{ messages: StoredMessage[] }>('GET', `/conversations/${remoteId}`)).messages;
    // Over when its last message is the answer (an assistant message without a tool call).
    for (const start = nowMs(); ; await sleep(50)) {
      const last = (await stored()).at(-1);
      if (last?.role === 'assistant' && !last.tool_calls?.length) break;
      if (nowMs() - start > 30_000) throw new Error('the first short run did not finish in 30 s');
    }
    const frames: OpenManusFlood['frames'] = [];
    return {
      backend,
      token,
      steps,
      tickMs,
      remoteId,
      stored,
      frames,
      async observe() {
        const ws = (observer = new WebSocket(`${backend.ws}/conversations/${remoteId}/?token=${token}`));
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        ws.on('message', (data) => {
          const f = JSON.parse(String(data)) as { event: string; payload: { message?: { id: string } } };
          frames.push({ event: f.event, ...(f.payload.message ? { id: f.payload.message.id } : {}) });
        });
      },
      async run() {
        frames.length = 0;
        const start = nowMs();
        await rest('POST', `/conversations/${remoteId}/messages`, { content: `bench run #ok #steps=${steps}` });
        await waitFor(() => frames.some((f) => f.event === 'agent.finished' || f.event === 'agent.error'), 120_000, 'the run to finish', 20);
        return nowMs() - start;
      },
      async close() {
        observer?.close();
        await backend.stop();
      },
    };
  } catch (error) {
    await backend.stop();
    throw error;
  }
}
