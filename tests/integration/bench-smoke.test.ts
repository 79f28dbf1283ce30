// `npm run bench` at quick scale, as a process: the runner, five benchmarks end to end (the
// mirror's ingest, the as-deployed site's first sync and catch-up, jwt-ws across 50 rooms, an
// OpenManus agent run through the real Django backend, and the load test through the reference backend), the printed table and bench/results.json's shape. Correctness only (every message mirrored once); speed targets are
// the benchmarks' business, never a test's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport, Figure } from '../../bench/lib/report';

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench (quick scale)', () => {
  it('runs ingest, deployed, jwtws, openmanus and load, prints the table and writes results with the machine and no lost or duplicated message', { timeout: 240_000 }, () => {
    const out = join(dir, 'results.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', 'ingest,deployed,jwtws,openmanus,load', '--no-build', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 230_000,
    });
    expect(run.status, run.stderr + run.stdout.slice(-2000)).toBe(0);
    expect(run.stdout).toMatch(/bench\s+figure\s+value\s+limit\s+ratio\s+result/);

    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      scale: string;
      benches: string[];
      machine: Record<string, unknown>;
      reports: BenchReport[];
    };
    expect(results.scale).toBe('quick');
    expect(results.benches).toEqual(['ingest', 'deployed', 'jwtws', 'openmanus', 'load']);
    for (const key of ['cpuModel', 'cores', 'ramGb', 'node', 'sqlite']) expect(results.machine[key], key).toBeTruthy();
    expect(results.reports.map((r) => r.bench)).toEqual(['ingest', 'deployed', 'jwtws', 'openmanus', 'load']);
    for (const report of results.reports) {
      expect(report.error).toBeUndefined();
      expect(report.figures.length).toBeGreaterThan(0);
      for (const f of report.figures) {
        expect(Number.isFinite(f.value), f.id).toBe(true);
        expect(typeof f.unit).toBe('string');
        if (f.limit !== null) {
          expect(typeof f.pass).toBe('boolean');
          if (f.limit !== 0) expect(f.ratio).toBeCloseTo(f.value / f.limit, 6);
        } else expect(f.pass).toBeNull();
      }
    }
    const figure = (id: string): Figure => results.reports.flatMap((r) => r.figures).find((f) => f.id === id)!;
    // Ingest: a limit measured in the same run (0.45 × the raw insert rate).
    expect(figure('ingest.rate').limitNote).toMatch(/0\.45 × raw/);
    // Load: everything the backend acknowledged is in the mirror, once.
    const load = results.reports.find((r) => r.bench === 'load')!;
    const counts = load.info.counts as { backend: number; mirror: number; lost: number; duplicated: number; extra: number };
    expect(counts.backend).toBeGreaterThan(100);
    expect(counts).toMatchObject({ lost: 0, duplicated: 0, extra: 0 });
    expect(counts.mirror).toBe(counts.backend);
    expect(figure('load.lost').value).toBe(0);
    expect(figure('load.late').value).toBe(0); // announced, so mirrored without waiting for a catch-up
    expect(figure('load.duplicated').value).toBe(0);
    // jwt-ws: every message the reference server committed in the 50 rooms is in the mirror, once.
    const jwtws = results.reports.find((r) => r.bench === 'jwtws')!;
    const jwtCounts = jwtws.info.counts as { backend: number; mirror: number; lost: number; duplicated: number; extra: number };
    expect(jwtws.info).toMatchObject({ rooms: 50, failedSends: 0 });
    expect(jwtCounts.backend).toBe(50 + (jwtws.info.sent as number));
    expect(jwtCounts).toMatchObject({ lost: 0, duplicated: 0, extra: 0, mirror: jwtCounts.backend });
    expect(figure('jwtws.lost').value).toBe(0);
    expect(figure('jwtws.duplicated').value).toBe(0);
    // OpenManus: every frame of the agent run is a row of the mirror, every stored message once.
    const om = results.reports.find((r) => r.bench === 'openmanus')!;
    expect(om.info.frames as number).toBeGreaterThan(150);
    expect(om.info).toMatchObject({ lostEvents: 0, extraEvents: 0, mirrorRowsOfRun: om.info.frames });
    expect(om.info.messages).toMatchObject({ lost: 0, duplicated: 0, extra: 0 });
    expect(figure('openmanus.lost').value).toBe(0);
    expect(figure('openmanus.duplicated').value).toBe(0);
    // The site as deployed: the bench waits for the mirror to equal the site; requests are counts, not speed.
    const deployed = results.reports.find((r) => r.bench === 'deployed')!;
    expect(deployed.info).toMatchObject({ conversations: 50, messages: 150 });
    expect(deployed.info.catchUpRequests).toHaveLength(3);
    expect((deployed.info.lastCatchUpBreakdown as Record<string, number>)['GET /api/chat/messages']).toBe(5);
    expect((deployed.info.firstBreakdown as Record<string, number>)['GET /api/chat/messages']).toBe(50);
    expect(figure('deployed.first.requests').pass).toBe(true);
    expect(figure('deployed.catchup.requests').pass).toBe(true);
  });

  // Issue 15.6 at quick scale (50,000 messages; the 5,000,000-message profile is never built in CI):
  // the group name selects the benchmark, every kind of query ran and found something, and the
  // file size per message is reported with and without the message FTS.
  it('runs the search-at-scale benchmark (search5m) at quick scale and reports every kind of query and the bytes per message', { timeout: 120_000 }, () => {
    const out = join(dir, 'scale.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', 'search5m', '--no-build', '--out', out], { cwd: root, encoding: 'utf8', timeout: 110_000 });
    expect(run.status, run.stderr + run.stdout.slice(-2000)).toBe(0);
    const [report] = (JSON.parse(readFileSync(out, 'utf8')) as { reports: BenchReport[] }).reports;
    expect(report!.error).toBeUndefined();
    const info = report!.info as { messages: number; byKind: Record<string, { n: number; averageHits: number }> };
    expect(info.messages).toBe(50_000);
    expect(Object.keys(info.byKind)).toEqual(['common word', 'rare word', 'prefix', 'visitor name', 'phrase']);
    for (const [kind, k] of Object.entries(info.byKind)) {
      expect(k.n, kind).toBeGreaterThan(0);
      expect(k.averageHits, kind).toBeGreaterThan(0);
    }
    const value = (id: string) => report!.figures.find((f) => f.id === id)!.value;
    expect(value('search5m.bytesPerMessageNoFts')).toBeGreaterThan(0);
    expect(value('search5m.bytesPerMessage')).toBeGreaterThan(value('search5m.bytesPerMessageNoFts'));
    expect(report!.figures.find((f) => f.id === 'search5m.p95')!.limit).toBe(10);
  });
});
