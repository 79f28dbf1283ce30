// CPU profiles (.cpuprofile, e.g. from CATCHUP_CPU_PROFILE=<dir> npm run bench -- --only catchup)
// summed by part of the core, per profile: each sample goes to the first part named on its stack,
// walking from the function that was running towards the root.
//   npx tsx bench/lib/profile-summary.ts <dir>/*.cpuprofile
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PARTS: Array<[string, RegExp]> = [
  ['the profiler starting', /startProfile|node:inspector/],
  ['zod (wire checks)', /node_modules\/zod/],
  ['search index', /mirror\/message-index\.ts/],
  ['notifications', /core\/notifications\/|attention\//],
  ['renderer transport (JSON + WebSocket writes)', /web\/server\.ts|node_modules\/ws\//],
  ['SQLite (mirror)', /better-sqlite3|core\/mirror\/|drizzle/],
  ['HTTP (fetch, bodies, JSON.parse)', /undici|http-json|read-capped|webstreams|bench\/catchup\.ts/],
  ['connector (REST client, wire)', /core\/connectors\//],
  ['sync engine', /core\/sync\//],
];

function partOf(frame: ProfileNode['callFrame']): string | null {
  const where = `${frame.url} ${frame.functionName}`;
  return PARTS.find(([, pattern]) => pattern.test(where))?.[0] ?? null;
}

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: profile-summary.ts <file.cpuprofile>...');
const totals = new Map<string, number>();
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profile.samples.forEach((id, i) => {
    const leaf = nodes.get(id)!.callFrame.functionName;
    let part: string | null = leaf === '(idle)' ? 'idle (waiting for the network)' : leaf === '(garbage collector)' ? 'garbage collector' : null;
    for (let cur: number | undefined = id; part === null && cur !== undefined; cur = parent.get(cur)) part = partOf(nodes.get(cur)!.callFrame);
    part ??= 'other';
    totals.set(part, (totals.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
}
const all = [...totals.values()].reduce((a, b) => a + b, 0);
console.log(`${(all / 1000 / files.length).toFixed(0)} ms per profile (${files.length} profiles)`);
for (const [part, us] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`${(us / 1000 / files.length).toFixed(1).padStart(8)} ms  ${part}`);
