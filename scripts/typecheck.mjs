// Type-checks each layer with its own tsconfig, so a layer that reaches for
// types it must not use (DOM in main, Node in shared) fails here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = [
  'tsconfig.shared.json',
  'tsconfig.main.json',
  'tsconfig.preload.json',
  'tsconfig.renderer.json',
  'tsconfig.tests.json',
  'backends/tsconfig.json',
].filter((p) => existsSync(p));

let failed = false;
for (const project of projects) {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', project], {
    stdio: 'inherit',
  });
  console.log(`typecheck ${project}: ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
