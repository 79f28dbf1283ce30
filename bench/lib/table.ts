// The printed table: one line per figure, its limit, the ratio to the limit and whether it was met.
import type { BenchReport, Figure } from './report';

const number = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en');
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
};

export const formatValue = (f: Pick<Figure, 'value' | 'unit'>): string => `${number(f.value)} ${f.unit}`;

export function formatLimit(f: Figure): string {
  if (f.limit === null) return '';
  return `${f.direction === 'max' ? '≤' : '≥'} ${number(f.limit)} ${f.unit}${f.limitNote ? ` (${f.limitNote})` : ''}`;
}

export const formatRatio = (f: Figure): string => (f.ratio === null ? '' : `${f.ratio.toFixed(2)}×`);

export const formatResult = (f: Figure): string => (f.pass === null ? 'info' : f.pass ? 'pass' : 'MISS');

export function rows(reports: BenchReport[]): string[][] {
  const out: string[][] = [];
  for (const r of reports) {
    if (r.error && r.figures.length === 0) out.push([r.bench, 'did not run', r.error.split('\n')[0]!.slice(0, 90), '', '', 'ERROR']);
    for (const f of r.figures) out.push([r.bench, f.name, formatValue(f), formatLimit(f), formatRatio(f), formatResult(f)]);
  }
  return out;
}

export function formatTable(reports: BenchReport[]): string {
  const header = ['bench', 'figure', 'value', 'limit', 'ratio', 'result'];
  const body = rows(reports);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The same table as Markdown, for BENCHMARKS.md. */
export function markdownTable(reports: BenchReport[]): string {
  const header = ['bench', 'figure', 'value', 'limit', 'ratio', 'result'];
  const body = rows(reports).map((r) => r.map((c) => c.replaceAll('|', '\\|')));
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
