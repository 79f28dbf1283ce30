// The last-resort handler: an error nothing caught is logged with its stack, and the process
// lives on (a real child process, where Node would otherwise exit with code 1).
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installLastResort } from '../../src/main/core/platform/last-resort';

describe('installLastResort', () => {
  it('logs uncaught errors and unhandled rejections', () => {
    const proc = new EventEmitter();
    const logged: string[] = [];
    installLastResort(proc as never, (m) => logged.push(m));
    proc.emit('uncaughtException', new Error('one bad socket'));
    proc.emit('unhandledRejection', 'a lost promise');
    expect(logged[0]).toMatch(/^uncaught error \(kept running\): Error: one bad socket\n\s+at /);
    expect(logged[1]).toBe('unhandled rejection (kept running): a lost promise');
  });

  it('keeps a real process running after a throw from a timer', () => {
    const script = `
      const { installLastResort } = require(${JSON.stringify(join(__dirname, '../../src/main/core/platform/last-resort.ts'))});
      installLastResort(process, (m) => console.error(m.split('\\n')[0]));
      setImmediate(() => { throw new Error('bug in one request'); });
      setTimeout(() => { console.log('still alive'); }, 50);
    `;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.stderr).toContain('uncaught error (kept running): Error: bug in one request');
    expect(result.stdout).toContain('still alive');
    expect(result.status).toBe(0);
  });
});
