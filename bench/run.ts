// npm run bench [-- --only search,ingest | --only scale] [--quick | --scale quick|full] [--out file] [--no-build | --build] [--keep]
//
// Runs each benchmark in its own Node process (its own heap, RSS and event loop), prints a table
// of figures beside their limits and writes bench/results.json with the machine they came from.
// BENCH_SCALE=quick is the same as --quick; BENCH_FIXTURES=<dir> keeps the generated profiles
// between runs (they take a minute to build at full scale).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_GROUPS, BENCH_NAMES, NEEDS_BUILD, isBenchName, type BenchName } from './benches';
import { repoRoot } from './lib/context';
import { machineInfo } from './lib/machine';
import { nowMs, type BenchReport, type Figure, type Scale } from './lib/report';
import { formatTable } from './lib/table';

function options() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      scale: { type: 'string' },
      out: { type: 'string' },
      build: { type: 'boolean' },
      'no-build': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const scaleText = values.quick ? 'quick' : (values.scale ?? process.env.BENCH_SCALE ?? 'full');
  if (scaleText !== 'quick' && scaleText !== 'full') throw new Error(`--scale must be quick or full, not "${scaleText}"`);
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean).flatMap((n): string[] => (Object.hasOwn(BENCH_GROUPS, n) ? [...BENCH_GROUPS[n]!] : [n])) : [...BENCH_NAMES];
  const unknown = only.filter((n) => !isBenchName(n));
  if (unknown.length) throw new Error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCH_NAMES.join(', ')}, or a group: ${Object.keys(BENCH_GROUPS).join(', ')}`);
  return {
    scale: scaleText as Scale,
    benches: BENCH_NAMES.filter((n) => only.includes(n)),
    out: resolve(values.out ?? join(repoRoot, 'bench', 'results.json')),
    build: values['no-build'] ? false : (values.build ?? null),
    keep: values.keep,
  };
}

/** Full runs measure the code as it is now, so they rebuild; quick runs reuse a build if there is one. */
function buildIfNeeded(benches: BenchName[], scale: Scale, build: boolean | null): void {
  if (!benches.some((b) => NEEDS_BUILD.includes(b))) return;
  const present = existsSync(join(repoRoot, 'out', 'main', 'web.js')) && existsSync(join(repoRoot, 'out', 'renderer', 'index.html'));
  const wanted = build ?? (scale === 'full' || !present);
  if (!wanted) return;
  console.log('building the app (electron-vite build) for the cold-start and UI benchmarks…');
  const r = spawnSync(join(repoRoot, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('electron-vite build failed');
}

function runOne(name: BenchName, scale: Scale, work: string, fixtures: string): BenchReport {
  const resultFile = join(work, `${name}.result.json`);
  const started = nowMs();
  console.log(`\n▶ ${name} (${scale})`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'lib', 'child.ts'), name, scale, work, fixtures, resultFile], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (existsSync(resultFile)) return JSON.parse(readFileSync(resultFile, 'utf8')) as BenchReport;
  return {
    bench: name,
    title: name,
    scale,
    startedAt: new Date().toISOString(),
    durationMs: Math.round(nowMs() - started),
    loadBefore: 0,
    loadAfter: 0,
    figures: [],
    info: {},
    error: `the benchmark process exited with ${r.status ?? r.signal} before writing its report`,
  };
}

function main(): void {
  const opts = options();
  const started = nowMs();
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  console.log(`Switchboard benchmarks, ${opts.scale} scale: ${opts.benches.join(', ')}`);
  console.log(`machine: ${machine.cpuModel} × ${machine.cores}, ${machine.ramGb} GB RAM, Node ${machine.node}, SQLite ${machine.sqlite}, load ${machine.loadAverage.join(' ')}`);
  buildIfNeeded(opts.benches, opts.scale, opts.build);
  const work = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const fixtures = process.env.BENCH_FIXTURES ? resolve(process.env.BENCH_FIXTURES) : join(work, 'fixtures');
  mkdirSync(fixtures, { recursive: true });
  const reports: BenchReport[] = [];
  try {
    for (const name of opts.benches) {
      const report = runOne(name, opts.scale, work, fixtures);
      reports.push(report);
      console.log(formatTable([report]));
    }
  } finally {
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
    else console.log(`work folder kept: ${work}`);
  }
  const figures: Figure[] = reports.flatMap((r) => r.figures);
  const missed = figures.filter((f) => f.pass === false);
  const failed = reports.filter((r) => r.error);
  const durationMs = Math.round(nowMs() - started);
  console.log(`\n${'='.repeat(20)} Switchboard benchmarks (${opts.scale}) ${'='.repeat(20)}`);
  console.log(formatTable(reports));
  console.log(
    `\n${figures.filter((f) => f.pass === true).length} met, ${missed.length} missed, ${failed.length} benchmark(s) failed to run; ${(durationMs / 1000).toFixed(0)} s in all.`,
  );
  mkdirSync(resolve(opts.out, '..'), { recursive: true });
  writeFileSync(
    opts.out,
    `${JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), durationMs, scale: opts.scale, benches: opts.benches, machine: { ...machine, loadAverageAfter: machineInfo().loadAverage }, reports }, null, 2)}\n`,
  );
  console.log(`results: ${opts.out}`);
  // A missed target is a figure to report, not a crash; only a benchmark that could not run fails the command.
  process.exit(failed.length ? 1 : 0);
}

main();
