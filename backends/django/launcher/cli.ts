// npm run backend:django -- [--port 8000] [--data DIR] [--seed-demo] [--students N] [--simulate N]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startDjangoBackend } from './backend';
import { startStudentSimulator, type Simulator } from './simulator';

const USAGE = `Usage: npm run backend:django -- [options]

  --port N         daphne port on 127.0.0.1 (default 8000; 0 = any free port)
  --data DIR       directory of db.sqlite3 + secret_key (default: a temp directory, removed on exit)
  --seed-demo      seed the demo teacher, students, conversations and challenge invites
  --students N     demo students (default 5; with --seed-demo)
  --simulate N     N of the demo students write over their socket (needs --seed-demo)
  --verbose        forward daphne's log
  -h, --help       this help

Environment: DJANGO_ACCESS_TOKEN_SECONDS, DJANGO_REFRESH_TOKEN_SECONDS, DJANGO_ANON_THROTTLE,
DJANGO_ALLOWED_HOSTS, DJANGO_SECRET_KEY (see backends/django/README.md)`;

function int(value: string | undefined, name: string, fallback: number, max = 65535): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    console.error(`Invalid ${name}: ${value}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        'seed-demo': { type: 'boolean' },
        students: { type: 'string' },
        simulate: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const simulate = int(values.simulate, '--simulate', 0, 1000);
  const students = Math.max(int(values.students, '--students', 5, 10000), simulate);
  if (simulate > 0 && !values['seed-demo']) {
    console.error('--simulate needs --seed-demo (the simulated students are demo students).');
    process.exit(2);
  }
  const backend = await startDjangoBackend({
    port: int(values.port, '--port', 8000),
    dataDir: values.data ? resolve(values.data) : undefined,
    seedDemo: !!values['seed-demo'],
    students,
    verbose: !!values.verbose,
    onUnexpectedExit: (code, signal) => {
      console.error(`daphne exited unexpectedly (${code ?? signal})`);
      process.exit(1);
    },
  });
  let simulator: Simulator | null = null;
  const lines = ['Switchboard django backend (Django Channels + daphne, in-memory channel layer)', `  Data:      ${backend.dataDir}`];
  if (backend.seed) {
    const { teacher, students: list } = backend.seed;
    lines.push(`  Teacher:   ${teacher.username} / ${teacher.password} (or ${teacher.email})`);
    lines.push(`  Students:  ${list.map((s) => s.username).join(', ')} / ${list[0]?.password ?? '-'}`);
  } else {
    lines.push('  No users (run with --seed-demo for a demo teacher and students).');
  }
  if (simulate > 0 && backend.seed) {
    simulator = startStudentSimulator({ url: backend.url, students: backend.seed.students.slice(0, simulate), log: (l) => console.error(l) });
    lines.push(`  Simulator: ${simulate} students`);
  }
  console.log(lines.join('\n'));
  console.log(`ready ${backend.url}`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await simulator?.stop();
    await backend.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
