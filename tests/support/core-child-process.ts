// Starts tests/support/core-child.ts in its own process, for crash tests that SIGKILL the core:
// its JSON lines are collected, and a cleanup kills it if the test did not.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DATABASE_FILE } from '../../src/main/core/core';
import { openDatabase } from '../../src/main/core/db/open';
import { Mirror } from '../../src/main/core/mirror/mirror';
import type { Message } from '../../src/shared/domain';
import { migrationsDir } from './temp-db';

const root = resolve(__dirname, '../..');

export interface CoreChild {
  proc: ChildProcess;
  lines: { event: string; state?: string; n?: number; ok?: boolean }[];
  exited: Promise<number | null>;
}

export function startCoreChild(cleanups: (() => Promise<void> | void)[], args: string[], env: Record<string, string> = {}): CoreChild {
  // tsx as a loader in this very process: the tsx CLI would fork, and SIGKILL would hit only the wrapper.
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/support/core-child.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: CoreChild['lines'] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as CoreChild['lines'][number]);
    } catch {
      if (process.env.SWITCHBOARD_TEST_LOG) console.log(`child ${proc.pid}: ${line}`);
    }
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  cleanups.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  });
  return { proc, lines, exited };
}

/** After the child stopped (or between its runs): the first account's pending outbox and the mirrored messages with this text. */
export function replyOutcome(dataDir: string, content: string): { pending: number; mine: Message[] } {
  const mirror = new Mirror(openDatabase({ file: join(dataDir, DATABASE_FILE), migrationsDir }));
  try {
    const [account] = mirror.accounts.list();
    return {
      pending: mirror.outbox.counts(account!.id).pending,
      mine: mirror.conversations.page('all', 500, undefined, account!.id).items.flatMap((c) => mirror.messages.all(c.id)).filter((m) => m.content === content),
    };
  } finally {
    mirror.close();
  }
}
