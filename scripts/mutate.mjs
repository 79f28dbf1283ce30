// `npm run mutate [scope ...] [-- stryker options]`: runs StrykerJS once per scope (stryker/<scope>.mjs;
// all of them when none is named), niced, then prints each scope's score per file from its JSON report.
// Example: `npm run mutate -- sync --mutate src/main/core/sync/outbox.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const known = readdirSync(join(root, 'stryker'))
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.slice(0, -4));
const args = process.argv.slice(2);
const scopes = args.filter((a) => known.includes(a));
const passThrough = args.filter((a) => !known.includes(a));
const unknown = passThrough.find((a, i) => !a.startsWith('-') && !passThrough[i - 1]?.startsWith('-'));
if (unknown) {
  console.error(`Unknown scope "${unknown}". Scopes: ${known.join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const scope of scopes.length > 0 ? scopes : known) {
  console.log(`\n== mutate: ${scope} ==`);
  const started = Date.now();
  const run = spawnSync('nice', ['-n', '19', 'npx', 'stryker', 'run', ...passThrough], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MUTATE_SCOPE: scope },
  });
  if (run.status !== 0) {
    console.error(`mutate: ${scope} ended with ${run.status ?? run.signal}`);
    failed = true;
    continue;
  }
  printScores(scope);
  console.log(`${scope}: ${((Date.now() - started) / 60_000).toFixed(1)} min`);
}
process.exit(failed ? 1 : 0);

// Killed and timed-out mutants count as detected; mutants that do not compile are not counted.
function printScores(scope) {
  const file = join(root, 'reports', 'mutation', `${scope}.json`);
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const rows = [];
  const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  for (const [path, { mutants }] of Object.entries(report.files)) {
    const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
    for (const m of mutants) {
      if (m.status === 'Killed') c.killed++;
      else if (m.status === 'Timeout') c.timeout++;
      else if (m.status === 'Survived') c.survived++;
      else if (m.status === 'NoCoverage') c.noCoverage++;
    }
    for (const k of Object.keys(total)) total[k] += c[k];
    rows.push([path, c]);
  }
  const score = (c) => {
    const valid = c.killed + c.timeout + c.survived + c.noCoverage;
    return valid === 0 ? '—' : `${((100 * (c.killed + c.timeout)) / valid).toFixed(1)} %`;
  };
  console.log(`\n${scope}: file | killed | timed out | survived | no coverage | score`);
  for (const [path, c] of rows) {
    console.log(`${path} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${score(c)}`);
  }
  console.log(`all of ${scope} | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | ${score(total)}`);
}
