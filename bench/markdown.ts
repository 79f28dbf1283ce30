// Prints bench/results.json (or the file given) as the Markdown that BENCHMARKS.md carries: the
// machine, then the table.   npx tsx bench/markdown.ts [results.json]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/context';
import type { MachineInfo } from './lib/machine';
import type { BenchReport } from './lib/report';
import { markdownTable } from './lib/table';

const file = process.argv[2] ?? join(repoRoot, 'bench', 'results.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as {
  startedAt: string;
  durationMs: number;
  scale: string;
  machine: MachineInfo & { loadAverageAfter: number[] };
  reports: BenchReport[];
};
const m = results.machine;
const load = (r: BenchReport) => `${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)}`;
console.log(`Run ${results.startedAt}, ${results.scale} scale, ${Math.round(results.durationMs / 1000)} s.`);
console.log('');
console.log(`- CPU: ${m.cpuModel}, ${m.cores} cores; RAM ${m.ramGb} GB; ${m.os}`);
console.log(`- Node ${m.node}, SQLite ${m.sqlite}${m.chromium ? `, ${m.chromium}` : ''}`);
console.log(`- Load average (1 min) at the start ${m.loadAverage[0]}, at the end ${m.loadAverageAfter[0]}; per benchmark: ${results.reports.map((r) => `${r.bench} ${load(r)}`).join(', ')}`);
console.log('');
console.log(markdownTable(results.reports));
