// Starts browser mode (`node out/main/web.js`) as a real child process with its own profile,
// and reads the URL it prints. Requires `electron-vite build` first (npm run test:e2e does it).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WebApp {
  /** The first start link (works once: one browser context). */
  url: string;
  /** An unused start link for one more browser context (the host prints one after each exchange). */
  freshUrl(): Promise<string>;
  origin: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startWebApp(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<WebApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  const child = spawn(process.execPath, ['out/main/web.js', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let out = '';
  const links: string[] = [];
  let handedOut = 1;
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const match of out.matchAll(/Start link for one more browser[^:]*: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/g)) {
      if (!links.includes(match[1]!)) links.push(match[1]!);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start in 20 s:\n${out}\n${stderr}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /Switchboard is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${stderr}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    process: child,
    // Link n (after the first) is printed once link n-1 was exchanged.
    freshUrl: () =>
      new Promise<string>((resolve, reject) => {
        const want = handedOut++;
        const check = () => {
          if (links.length >= want) resolve(links[want - 1]!);
          else if (child.exitCode !== null) reject(new Error(`browser mode exited:\n${stderr}`));
          else waiters.push(check);
        };
        check();
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
