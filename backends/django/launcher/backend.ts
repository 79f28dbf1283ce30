// Starts the Django Channels reference backend as child processes: migrations into a data
// directory, the optional demo seed, then daphne (`manage.py serve`) on 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findPython } from './python';

export const DJANGO_DIR = resolve(__dirname, '..');

export interface Credentials {
  username: string;
  email: string;
  password: string;
  full_name: string;
}

export interface DemoSeed {
  teacher: Credentials;
  students: Credentials[];
}

export interface DjangoBackendOptions {
  /** 0 = any free port (the default). */
  port?: number;
  /** Directory of db.sqlite3 and secret_key; default: a fresh temp directory removed on stop(). */
  dataDir?: string;
  seedDemo?: boolean;
  /** Demo students (default 5). */
  students?: number;
  accessTokenSeconds?: number;
  refreshTokenSeconds?: number;
  /** DRF anonymous throttle, e.g. "100/hour" (the deployed rate, the default). */
  anonThrottle?: string;
  allowedHosts?: string[];
  /** Extra environment for the Python processes. */
  env?: Record<string, string>;
  /** Forward daphne's stderr (default: kept and shown only when start fails). */
  verbose?: boolean;
  /** Called when daphne exits without stop(), kill() or restart() asking it to. */
  onUnexpectedExit?: (code: number | null, signal: string | null) => void;
}

export interface DjangoBackend {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  seed: DemoSeed | null;
  pid(): number | undefined;
  /** SIGTERM and wait. Removes a temp data directory. */
  stop(): Promise<void>;
  /** SIGKILL and wait; the data stays, so restart() resumes on the same database. */
  kill(): Promise<void>;
  /** Starts daphne again on the same port and data. */
  restart(): Promise<void>;
}

function pythonEnv(dataDir: string, o: DjangoBackendOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DJANGO_DB_PATH: join(dataDir, 'db.sqlite3'), PYTHONUNBUFFERED: '1', ...o.env };
  if (o.accessTokenSeconds !== undefined) env.DJANGO_ACCESS_TOKEN_SECONDS = String(o.accessTokenSeconds);
  if (o.refreshTokenSeconds !== undefined) env.DJANGO_REFRESH_TOKEN_SECONDS = String(o.refreshTokenSeconds);
  if (o.anonThrottle) env.DJANGO_ANON_THROTTLE = o.anonThrottle;
  if (o.allowedHosts) env.DJANGO_ALLOWED_HOSTS = o.allowedHosts.join(',');
  return env;
}

function manage(args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(findPython(), ['manage.py', ...args], { cwd: DJANGO_DIR, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`manage.py ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

function serve(port: number, env: NodeJS.ProcessEnv, verbose: boolean): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(findPython(), ['manage.py', 'serve', '--port', String(port)], { cwd: DJANGO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((res, rej) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      if (verbose) process.stderr.write(c);
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^listening \S+ (\d+)$/m.exec(out);
      if (m) res({ child, port: Number(m[1]) });
    });
    child.once('exit', (code, signal) => rej(new Error(`daphne exited (${code ?? signal}) before listening: ${err}`)));
    child.once('error', rej);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/**
 * A migrated empty database, made once per version of the migrations and copied into each new
 * data directory: `migrate` costs seconds on a loaded machine, a copy milliseconds.
 */
function migratedTemplate(o: DjangoBackendOptions): string {
  const hash = createHash('sha256');
  for (const app of ['accounts', 'chat', 'challenges']) {
    const dir = join(DJANGO_DIR, app, 'migrations');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.py')).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  }
  const file = join(tmpdir(), `switchboard-django-template-${hash.digest('hex').slice(0, 16)}.sqlite3`);
  if (!existsSync(file)) {
    const work = mkdtempSync(join(tmpdir(), 'switchboard-django-template-'));
    manage(['migrate', '--noinput', '-v', '0'], pythonEnv(work, o));
    renameSync(join(work, 'db.sqlite3'), file);
    rmSync(work, { recursive: true, force: true });
  }
  return file;
}

export async function startDjangoBackend(o: DjangoBackendOptions = {}): Promise<DjangoBackend> {
  const tempDir = o.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'switchboard-django-'));
  const dataDir = o.dataDir ?? (tempDir as string);
  const env = pythonEnv(dataDir, o);
  const db = join(dataDir, 'db.sqlite3');
  // A database kept in --data is brought up to date; a new one starts as a copy of the template.
  if (existsSync(db)) manage(['migrate', '--noinput', '-v', '0'], env);
  else copyFileSync(migratedTemplate(o), db);
  const seed = o.seedDemo ? (JSON.parse(manage(['seed_demo', '--students', String(o.students ?? 5)], env)) as DemoSeed) : null;
  let halting = false;
  const watch = (started: { child: ChildProcess; port: number }): { child: ChildProcess; port: number } => {
    started.child.once('exit', (code, signal) => {
      if (!halting) o.onUnexpectedExit?.(code, signal);
    });
    return started;
  };
  let current = watch(await serve(o.port ?? 0, env, !!o.verbose));
  const port = current.port;
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const { child } = current;
    halting = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    // daphne can take long to wind down with consumers still running: a stop never hangs.
    const force = signal === 'SIGKILL' ? null : setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    if (force) clearTimeout(force);
    halting = false;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    dataDir,
    seed,
    pid: () => current.child.pid,
    async stop() {
      await halt('SIGTERM');
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
    kill: () => halt('SIGKILL'),
    async restart() {
      await halt('SIGKILL');
      current = watch(await serve(port, env, !!o.verbose));
    },
  };
}
