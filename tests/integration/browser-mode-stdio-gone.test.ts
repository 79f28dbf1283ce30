// Browser mode in a child process wired like the CLI (support/browser-mode-stdio-child.ts) after whoever read its stdout and
// stderr went away, as when an interrupted Playwright run leaves its core behind: every log line
// then failed with EPIPE, the unheard error was logged by the last resort, which failed again,
// a loop that took a whole core and never let the SIGTERM handler run (it needed kill -9).
// Here the reader goes away (our ends of its pipes are destroyed), malformed requests make it log,
// and then it must still answer HTTP, stop on SIGTERM and close the mirror cleanly.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/core';
import { cleanCloseMark } from '../../src/main/core/db/clean-close';
import { tempDir } from '../support/temp-db';

const temp = tempDir();
afterAll(() => temp.cleanup());

/** Sends bytes that are not HTTP and waits until the host has answered and closed (it logs each). */
const malformed = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
    socket.on('data', () => {});
    socket.once('error', reject);
    socket.once('close', () => resolve());
  });

describe('browser mode whose stdout and stderr reader went away', () => {
  it('keeps serving, stops on SIGTERM and closes the mirror cleanly', async () => {
    const dataDir = join(temp.dir, 'profile');
    const rendererDir = join(temp.dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<html></html>');
    const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../support/browser-mode-stdio-child.ts'), dataDir, rendererDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      let out = '';
      const url = await new Promise<URL>((resolve, reject) => {
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /Switchboard is running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (match) resolve(new URL(match[1]!));
        });
        void exited.then(({ code }) => reject(new Error(`browser mode exited with ${code} before it ran`)));
      });
      proc.stdout.destroy();
      proc.stderr.destroy();
      for (let i = 0; i < 5; i++) await malformed(Number(url.port));

      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      expect(res.status).toBeGreaterThan(0);
      proc.kill('SIGTERM');
      const bounded = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 5000).unref());
      expect(await Promise.race([exited, bounded])).toEqual({ code: 0, signal: null });
      expect(existsSync(cleanCloseMark(join(dataDir, DATABASE_FILE)))).toBe(true);
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    }
  }, 30_000);
});
