// `npm run backend:openmanus -- --port N --seed-demo` (manage.py serve) and
// `npm run backend:openmanus:token -- [--ttl N] [--session]` (manage.py mint_token).
import { spawn } from 'node:child_process';
import { MANAGE_PY, OPENMANUS_DIR, pythonCommand } from './python';

const args = process.argv.slice(2);
const command = args[0] === 'token' ? ['mint_token', ...args.slice(1)] : ['serve', ...args];
const child = spawn(pythonCommand(), [MANAGE_PY, ...command], { cwd: OPENMANUS_DIR, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(`openmanus backend: cannot start ${pythonCommand()}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
