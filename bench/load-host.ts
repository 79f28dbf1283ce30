// 7b. The load benchmark with the core in a child process (the core host over the fork
// transport, as the Electron app runs it in a utilityProcess): this process, the "main process",
// only forwards the renderer's socket to it. Its event-loop delay is what the window, the tray
// and IPC would feel; load.main.lag.* is the same figure with the core in-process.
import type { Bench } from './lib/context';
import { loadBench } from './load';

export const bench: Bench = {
  name: 'loadhost',
  title: '7b. Load as 7, the core in a child process (main process only forwarding)',
  run: (ctx) => loadBench.run(ctx, 'host'),
};
