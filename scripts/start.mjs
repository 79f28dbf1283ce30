// `npm start`: the Electron app, after checking that Electron's binary is there. Without it
// (ELECTRON_SKIP_BINARY_DOWNLOAD, an offline install) electron-vite would die with
// "Electron uninstall" and a stack trace; this says so in one line, how to get it, and offers
// browser mode instead (asked on a terminal, suggested otherwise).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where Electron's binary should be, and whether it is (the rule node_modules/electron/index.js follows, without its download). */
export function electronBinary(electronDir, env = process.env) {
  const pathFile = join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const file = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
    return { file, present: existsSync(file) };
  }
  const file = executable ? join(electronDir, 'dist', executable) : join(electronDir, 'dist');
  return { file, present: executable !== '' && existsSync(file) };
}

export const MISSING_LINE =
  'Switchboard: the Electron binary is not installed (node_modules/electron/dist is missing). Get it with "node node_modules/electron/install.js" (needs network access), or run browser mode instead: npm run start:web';

const run = (command, args) =>
  new Promise((done) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('exit', (code, signal) => done(signal ? 1 : (code ?? 1)));
  });

async function main() {
  const electronDir = process.env.SWITCHBOARD_ELECTRON_DIR ?? join(root, 'node_modules', 'electron');
  if (!electronBinary(electronDir).present) {
    console.error(MISSING_LINE);
    if (!process.stdin.isTTY || !process.stdout.isTTY) return 1;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await new Promise((r) => rl.question('Start browser mode now? [y/N] ', r));
    rl.close();
    return /^y(es)?$/i.test(String(answer).trim()) ? run('npm', ['run', 'start:web']) : 1;
  }
  // The Electron-ABI database addon, if it is missing or for another Electron.
  spawnSync(process.execPath, [join(root, 'scripts', 'electron-native.mjs'), '--if-missing'], { cwd: root, stdio: 'inherit' });
  return run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview', ...process.argv.slice(2)]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code));
}
