// The real backend as a process (`npm run backend:openmanus`), driven from Node over HTTP and `ws`
// the way the console's main process will: Bearer tokens from the mint script, one socket per
// conversation, frames checked against what REST returns afterwards.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MANAGE_PY, OPENMANUS_DIR, pythonCommand } from '../python';

const ROOT = resolve(__dirname, '../../..');

interface Frame {
  type: string;
  event: string;
  payload: Record<string, unknown>;
}
interface Msg {
  id: string;
  role: string;
  content: string | null;
  tool_calls: { id: string }[] | null;
  tool_call_id: string | null;
}

let proc: ChildProcessWithoutNullStreams;
let dataDir: string;
let stdout = '';
let api = '';
let wsBase = '';
let bannerToken = '';
let token = '';

function mint(...args: string[]): string {
  const run = spawnSync(pythonCommand(), [MANAGE_PY, '--data', dataDir, 'mint_token', ...args], { cwd: OPENMANUS_DIR, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`mint_token failed: ${run.stderr}`);
  return run.stdout.trim();
}

async function call<T>(method: string, path: string, body?: unknown, auth = token): Promise<{ status: number; json: T }> {
  const res = await fetch(`${api}/v1/chat${path}`, {
    method,
    headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

/** A conversation socket that records every frame; `until` resolves when a frame matches. */
function openSocket(conversationId: string, jwt = token) {
  const ws = new WebSocket(`${wsBase}/conversations/${conversationId}/?token=${encodeURIComponent(jwt)}`);
  const frames: Frame[] = [];
  const waiters: { test: (f: Frame) => boolean; resolve: () => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    frames.push(frame);
    for (const w of waiters.splice(0)) if (w.test(frame)) w.resolve();
      else waiters.push(w);
  });
  const opened = new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('unexpected-response', (_req, r) => rej(new Error(`handshake ${r.statusCode}`)));
    ws.once('error', rej);
  });
  const closed = new Promise<number>((res) => ws.once('close', (code) => res(code)));
  /** Resolves once a frame of `event` has arrived at index >= `from`. */
  const until = (event: string, from = 0) =>
    frames.slice(from).some((f) => f.event === event)
      ? Promise.resolve()
      : new Promise<void>((res) => waiters.push({ test: (f) => f.event === event, resolve: res }));
  return { ws, frames, opened, closed, until };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'openmanus-'));
  proc = spawn('npm', ['run', '--silent', 'backend:openmanus', '--', '--port', '0', '--data', dataDir, '--seed-demo', '--tick-ms', '15'], {
    cwd: ROOT,
    detached: true,
  });
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise<void>((res, rej) => {
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('\n')) res();
    });
    proc.on('exit', (code) => rej(new Error(`backend exited ${code}: ${stdout} ${stderr}`)));
  });
  api = /api=(\S+)/.exec(stdout)?.[1] ?? '';
  wsBase = /ws=(\S+)/.exec(stdout)?.[1] ?? '';
  bannerToken = /token=(\S+)/.exec(stdout)?.[1] ?? '';
  token = mint('--ttl', '600');
}, 60_000);

afterAll(() => {
  if (proc?.pid && proc.exitCode === null) process.kill(-proc.pid, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run backend:openmanus', () => {
  it('prints one ready line; its token lists the seeded demo conversations', async () => {
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(stdout).toMatch(/^openmanus backend ready: api=http:\/\/127\.0\.0\.1:\d+\/api ws=ws:\/\/127\.0\.0\.1:\d+\/ws /);
    const list = await call<{ id: string; title: string; llm_model: string }[]>('GET', '/conversations', undefined, bannerToken);
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(4);
    for (const c of list.json) expect(Object.keys(c).sort()).toEqual(['id', 'llm_model', 'title']);
    const stuck = list.json.find((c) => c.title.includes('#stuck'));
    const detail = await call<{ messages: Msg[]; first_initiate: boolean }>('GET', `/conversations/${stuck?.id}`);
    expect(detail.json.first_initiate).toBe(false);
    expect(detail.json.messages.at(-1)?.role).toBe('system');
  });

  it('streams a run as notify frames that match the messages REST returns afterwards', async () => {
    const created = await call<{ id: string }>('POST', '/conversations', { model: 'gpt-4o', content: 'warm up #ok #steps=1' });
    expect(created.status).toBe(200);
    const s = openSocket(created.json.id);
    await s.opened;
    await s.until('agent.finished'); // the first run (it may have started before the socket opened)
    const before = s.frames.length;
    s.ws.send('client frames are ignored');
    const sent = await call<{ message_id: string; attachments_count: number }>('POST', `/conversations/${created.json.id}/messages`, {
      content: 'Find flights <b>now</b> #tool-error #file #steps=2',
    });
    expect(sent.status).toBe(200);
    await s.until('agent.finished', before);
    const run = s.frames.slice(before);
    expect(run.every((f) => f.type === 'notify')).toBe(true);
    const events = new Set(run.map((f) => f.event));
    for (const e of ['message.created', 'agent.step', 'agent.thoughts.start', 'agent.thoughts.finish', 'agent.tools_prepared',
      'agent.tool_error', 'agent.tool_result', 'file.created', 'file.updated', 'agent.finished']) expect(events, e).toContain(e);
    const streamed = run.filter((f) => f.event === 'message.created').map((f) => (f.payload.message as Msg).id);
    expect(streamed[0]).toBe(sent.json.message_id);

    const detail = await call<{ messages: Msg[]; message_count: number; total_cost: number }>('GET', `/conversations/${created.json.id}`);
    const ids = detail.json.messages.map((m) => m.id);
    expect(ids.slice(-streamed.length)).toEqual(streamed);
    expect(detail.json.message_count).toBe(ids.length);
    expect(detail.json.total_cost).toBeGreaterThan(0);
    const tool = detail.json.messages.filter((m) => m.role === 'tool');
    expect(tool.some((m) => m.content?.startsWith('Error:'))).toBe(true);
    const newestFirst = await call<Msg[]>('GET', `/conversations/${created.json.id}/messages`);
    expect(newestFirst.json.map((m) => m.id)).toEqual([...ids].reverse());
    s.ws.close();
    await s.closed;
  });

  it('reports stuck and failed runs on the socket', async () => {
    const created = await call<{ id: string }>('POST', '/conversations', { model: 'm', content: 'first #ok #steps=1' });
    const s = openSocket(created.json.id);
    await s.opened;
    await s.until('agent.finished');
    await call('POST', `/conversations/${created.json.id}/messages`, { content: 'log in #stuck' });
    await call('POST', `/conversations/${created.json.id}/messages`, { content: 'translate #fail' });
    await s.until('agent.error');
    const stuckAt = s.frames.findIndex((f) => f.event === 'agent.stuck');
    const errorAt = s.frames.findIndex((f) => f.event === 'agent.error');
    expect(stuckAt).toBeGreaterThan(0);
    expect(errorAt).toBeGreaterThan(stuckAt); // runs of one conversation never interleave
    expect(Object.keys(s.frames[errorAt]!.payload).sort()).toEqual(['detail', 'type']);
    s.ws.close();
  });

  it('refuses bad credentials and closes with 4401 when the token expires', async () => {
    const created = await call<{ id: string }>('POST', '/conversations', { model: 'm', content: 'x #ok #steps=1' });
    expect((await call('GET', '/conversations', undefined, 'not.a.token')).status).toBe(401);
    await expect(openSocket(created.json.id, 'not.a.token').opened).rejects.toThrow('handshake 403');

    const short = mint('--ttl', '2');
    const s = openSocket(created.json.id, short);
    await s.opened;
    expect(await s.closed).toBe(4401);
    expect((await call('GET', '/conversations', undefined, short)).status).toBe(401);
  });

  it('accepts the Django session cookie (npm run backend:openmanus:token -- --session)', async () => {
    const run = spawnSync('npm', ['run', '--silent', 'backend:openmanus:token', '--', '--data', dataDir, '--session'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const sessionid = run.stdout.trim();
    const res = await fetch(`${api}/v1/chat/conversations`, { headers: { Cookie: `sessionid=${sessionid}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBeGreaterThanOrEqual(4);
  });
});
