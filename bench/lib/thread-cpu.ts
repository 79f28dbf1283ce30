// CPU time of one thread, or of every thread of a process, from /proc (Linux): schedstat's
// first field is the time spent running, in nanoseconds. process.cpuUsage() counts every thread
// of this process, so it cannot tell the core's main thread from a worker (session 7: the
// catch-up's writer thread prototype). Returns NaN where /proc is missing.
import { readFileSync, readdirSync } from 'node:fs';

const runNs = (file: string): number => Number(readFileSync(file, 'utf8').split(' ')[0]);

/** The main thread of process `pid` (its thread id is the pid), in ms. */
export function mainThreadCpuMs(pid: number = process.pid): number {
  try {
    return runNs(`/proc/${pid}/task/${pid}/schedstat`) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/** Every live thread of process `pid`, in ms (threads that already exited are not counted). */
export function processCpuMs(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + runNs(`/proc/${pid}/task/${tid}/schedstat`), 0) / 1e6;
  } catch {
    return Number.NaN;
  }
}
