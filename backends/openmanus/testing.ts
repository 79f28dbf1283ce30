// Starts the real openmanus backend (manage.py serve) as a child process for tests: waits for its
// ready line, mints tokens with its key, and stops or kills it (fault tests restart it on the same
// port and data directory).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { MANAGE_PY, OPENMANUS_DIR, pythonCommand } from './python';

export interface OpenManusProcess {
  api: string;
  ws: string;
  port: number;
  dataDir: string;
  proc: ChildProcessWithoutNullStreams;
  /**
   * A JWT for `sub` (default user_demo) valid for `ttl` seconds, signed in-process with the
   * backend's key (what `manage.py mint_token` prints, without a Python start per token).
   */
  mint(ttl?: number, sub?: string): Promise<string>;
  /** SIGTERM (or SIGKILL: a crash) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The settings' defaults (openmanus_server/settings.py); tests run without overriding them. */
const ISSUER = 'https://clerk.openmanus.test';
const AUDIENCE = 'openmanus';

export async function startOpenManus(options: { dataDir: string; port?: number; tickMs?: number; seedDemo?: boolean }): Promise<OpenManusProcess> {
  const args = [MANAGE_PY, '--data', options.dataDir, 'serve', '--port', String(options.port ?? 0), '--tick-ms', String(options.tickMs ?? 20)];
  if (options.seedDemo) args.push('--seed-demo');
  const proc = spawn(pythonCommand(), args, { cwd: OPENMANUS_DIR });
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    proc.once('exit', (code) => reject(new Error(`openmanus backend exited ${code} before it was ready: ${stderr}`)));
  });
  const api = /api=(\S+)/.exec(line)?.[1];
  const ws = /ws=(\S+)/.exec(line)?.[1];
  const jwks = /jwks=(\S+)/.exec(line)?.[1];
  if (!api || !ws || !jwks) throw new Error(`unexpected ready line: ${line}`);
  const { keys } = (await (await fetch(jwks)).json()) as { keys: { kid: string }[] };
  const key = await importPKCS8(readFileSync(join(options.dataDir, 'keys', 'clerk-private.pem'), 'utf8'), 'RS256');
  const exited = new Promise<void>((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', () => resolve())));
  return {
    api,
    ws,
    port: Number(new URL(api).port),
    dataDir: options.dataDir,
    proc,
    mint(ttl = 600, sub = 'user_demo') {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub })
        .setProtectedHeader({ alg: 'RS256', kid: keys[0]!.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .sign(key);
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}
