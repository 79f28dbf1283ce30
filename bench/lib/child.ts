// Runs one benchmark in a process of its own (a clean heap, its own RSS and event loop) and
// writes its report to a file for the runner:
//   node --import tsx bench/lib/child.ts <name> <scale> <work> <fixtures> <result.json>
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { isBenchName, loadBench } from '../benches';
import { createContext } from './context';
import { nowMs, type BenchReport, type Scale } from './report';

async function main(): Promise<void> {
  const [name, scale, work, fixtures, resultFile] = process.argv.slice(2);
  if (!name || !isBenchName(name) || (scale !== 'quick' && scale !== 'full') || !work || !fixtures || !resultFile) {
    throw new Error('usage: child.ts <bench> <quick|full> <work dir> <fixtures dir> <result file>');
  }
  const log = (message: string) => process.stdout.write(`  [${name}] ${message}\n`);
  const bench = await loadBench(name);
  const report: BenchReport = {
    bench: name,
    title: bench.title,
    scale: scale as Scale,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    loadBefore: loadavg()[0]!,
    loadAfter: 0,
    figures: [],
    info: {},
  };
  const start = nowMs();
  try {
    const output = await bench.run(createContext(scale as Scale, work, fixtures, log));
    report.figures = output.figures;
    report.info = output.info;
  } catch (error) {
    report.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`failed: ${report.error}`);
  }
  report.durationMs = Math.round(nowMs() - start);
  report.loadAfter = loadavg()[0]!;
  writeFileSync(resultFile, JSON.stringify(report, null, 2));
  // Benchmarks close what they open; exit anyway so a stray handle cannot hold the runner up.
  process.exit(report.error ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
