// Browser mode as a process (node out/main/web.js), and a client that talks to it the way the
// renderer's web bridge does: the printed URL's token becomes a session cookie, then the contract
// goes over the WebSocket.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import type { MethodName } from '../../src/shared/contract';

export interface WebApp {
  url: string;
  process: ChildProcess;
  /** When the URL was printed (ms, monotonic clock). */
  printedAt: number;
  stop(): Promise<void>;
}

export async function startWebApp(entry: string, dataDir: string, now: () => number): Promise<WebApp> {
  // BENCH_WEB_CPU_PROF=<dir>: each browser-mode process writes a V8 CPU profile there (to find what a start spends).
  const profile = process.env.BENCH_WEB_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_WEB_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, entry, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const { url, printedAt } = await new Promise<{ url: string; printedAt: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`browser mode did not start in 30 s:\n${out}\n${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /Switchboard is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], printedAt: now() });
      }
    });
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${stderr}`)));
  });
  return {
    url,
    process: child,
    printedAt,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Opens browser mode like a browser: the token URL sets the session cookie, then the socket. */
export async function openBrowserModeSocket(url: string): Promise<WebSocket> {
  const res = await fetch(url, { redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const origin = new URL(url).origin;
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws`, { headers: { Cookie: cookie, Origin: origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

export class WebClient {
  private nextId = 1;
  private readonly pending = new Map<number, (message: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: number; ok: boolean; value?: unknown; error?: { message: string } };
      if (message.type !== 'result' || message.id === undefined) return;
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
  }

  static async connect(url: string): Promise<WebClient> {
    return new WebClient(await openBrowserModeSocket(url));
  }

  invoke<T>(method: MethodName, input?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, (m) => (m.ok ? resolve(m.value as T) : reject(new Error(`${method}: ${m.error?.message}`))));
      this.ws.send(JSON.stringify({ type: 'invoke', id, method, input }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Resident and peak memory of a process, from /proc (Linux). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** CPU time (user + system) a process has used so far, from /proc (Linux; 10 ms ticks). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line: 11 and 12 of what follows the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** What a first minute in the inbox asks for: a conversation and its older page, searches, all conversations. */
export async function firstMinute(client: WebClient, conversationId: number, searches: string[]): Promise<void> {
  const messages = await client.invoke<{ nextCursor: string | null }>('messages.page', { conversationId, limit: 50 });
  if (messages.nextCursor) await client.invoke('messages.page', { conversationId, limit: 50, before: messages.nextCursor });
  for (const query of searches) await client.invoke('search', { query, limit: 50 });
  await client.invoke('conversations.page', { filter: 'all', limit: 100 });
}
