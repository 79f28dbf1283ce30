// `node stryker/merge-incremental.mjs <into.json> <from.json>[=<prefix>,...] ...`: folds the results of
// Stryker runs made apart (one per worktree or machine, each with its own `--incrementalFile` and
// `--mutate` subset) into one scope's incremental file, so the next `npm run mutate` reruns only
// what changed since. For each mutated file, the report that ran it last (later arguments win)
// gives its mutants; `=<prefix>,...` takes only the mutated files under those paths from that report
// (a run that started from a copy of the scope's file also holds the files it did not run). Test
// files are merged by path. Test ids are per run, so every test is given one id by its file and
// name, and the mutants' coveredBy/killedBy are rewritten to it.
import { readFileSync, writeFileSync } from 'node:fs';

const [into, ...froms] = process.argv.slice(2);
if (!into || froms.length === 0) {
  console.error('usage: node stryker/merge-incremental.mjs <into.json> <from.json>[=<prefix>,...] ...');
  process.exit(2);
}

const reports = [into, ...froms].map((arg) => {
  const [path, prefixes] = arg.split('=');
  return { path, only: prefixes ? prefixes.split(',') : null, report: JSON.parse(readFileSync(path, 'utf8')) };
});
const ids = new Map(); // `${file}\0${name}` -> merged id
const idFor = (file, name) => {
  const key = `${file}\0${name}`;
  if (!ids.has(key)) ids.set(key, String(ids.size));
  return ids.get(key);
};

const merged = { ...reports[0].report, files: {}, testFiles: {} };
for (const { path, only, report } of reports) {
  // This run's test id -> merged id.
  const local = new Map();
  for (const [file, { source, tests }] of Object.entries(report.testFiles ?? {})) {
    const renamed = tests.map((t) => {
      const id = idFor(file, t.name);
      local.set(t.id, id);
      return { ...t, id };
    });
    merged.testFiles[file] = { source, tests: renamed };
  }
  const remap = (list) => list?.map((id) => local.get(id)).filter((id) => id !== undefined);
  let files = 0;
  for (const [file, entry] of Object.entries(report.files)) {
    if (only && !only.some((prefix) => file.startsWith(prefix))) continue;
    merged.files[file] = { ...entry, mutants: entry.mutants.map((m) => ({ ...m, coveredBy: remap(m.coveredBy), killedBy: remap(m.killedBy) })) };
    files++;
  }
  console.log(`${path}: ${files} mutated files, ${local.size} tests`);
}
writeFileSync(into, JSON.stringify(merged));
console.log(`${into}: ${Object.keys(merged.files).length} mutated files, ${ids.size} tests`);
