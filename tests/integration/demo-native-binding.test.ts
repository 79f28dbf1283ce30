// "Try the demo" in the packaged app: the in-process reference backend opens its own SQLite file,
// and under Electron it needs the same Electron-ABI better-sqlite3 addon as the mirror. The core's
// nativeBinding option must reach that second `new Database(...)` too. better-sqlite3 is wrapped
// here only to record the options each database is opened with; the real addon does the work.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountService } from '../../src/main/core/accounts/account-service';
import { createCore, type Core } from '../../src/main/core/core';
import { Demo } from '../../src/main/core/demo/demo';
import { launchDemoBackend } from '../../src/main/demo-backend';
import { EventBus } from '../../src/main/core/events';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { realTimers } from '../../src/main/core/sync/timers';
import { ConsoleError } from '../../src/shared/contract';
import { migrationsDir, openTempMirror, tempDir } from '../support/temp-db';

const opened = vi.hoisted(() => [] as { file: string; options: { nativeBinding?: unknown } | undefined }[]);
vi.mock('better-sqlite3', async (importOriginal) => {
  const real = ((await importOriginal()) as { default: new (...args: unknown[]) => object }).default;
  const recording = new Proxy(real, {
    construct(target, args: unknown[]) {
      opened.push({ file: String(args[0]), options: args[1] as { nativeBinding?: unknown } | undefined });
      return Reflect.construct(target, args) as object;
    },
  });
  return { default: recording };
});

/** The addon Node's better-sqlite3 loads by default, given explicitly (a stand-in for the Electron build). */
const addon = join(dirname(createRequire(__filename).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

const cleanups: (() => Promise<void> | void)[] = [];
beforeEach(() => {
  opened.length = 0;
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function core(nativeBinding?: string): Core {
  const t = tempDir('switchboard-demo-');
  const c = createCore({
    dataDir: t.dir,
    migrationsDir,
    ...(nativeBinding ? { nativeBinding } : {}),
    settings: new JsonFileSettingsStore(join(t.dir, 'settings.json')),
    secrets: new PlainFileSecretStore(join(t.dir, 'secrets.json')),
    mode: 'electron',
    version: 'test',
    demoBackend: launchDemoBackend,
  });
  cleanups.push(() => t.cleanup());
  cleanups.push(() => c.close());
  return c;
}

const openedFile = (name: string) => opened.filter((o) => o.file.endsWith(name));

describe('the demo backend and nativeBinding', () => {
  it("opens the demo's database with the core's nativeBinding, like the mirror's", async () => {
    const c = core(addon);
    const result = await c.dispatch('demo.start', undefined);
    expect(result).toMatchObject({ ok: true, value: { visitorUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) } });
    expect(openedFile('switchboard.sqlite').map((o) => o.options)).toEqual([{ nativeBinding: addon }]);
    expect(openedFile('portfolio.sqlite').map((o) => o.options)).toEqual([{ nativeBinding: addon }]);
  });

  it('leaves it out when the core has none (plain Node, browser mode)', async () => {
    const c = core();
    const result = await c.dispatch('demo.start', undefined);
    expect(result.ok).toBe(true);
    expect(openedFile('portfolio.sqlite').map((o) => o.options)).toEqual([{}]);
  });

  it('fails with a clear error naming a nativeBinding that cannot be loaded, and leaves nothing running', async () => {
    const ctx = openTempMirror();
    cleanups.push(() => ctx.close());
    const log: string[] = [];
    const accounts = new AccountService({
      mirror: ctx.mirror,
      events: new EventBus(),
      secrets: new PlainFileSecretStore(join(ctx.temp.dir, 'secrets.json')),
      connectorFactory: () => {
        throw new Error('no account should be connected');
      },
      clock: Date.now,
      random: Math.random,
      timers: realTimers,
      log: () => {},
    });
    const bogus = join(ctx.temp.dir, 'electron-native', 'missing_better_sqlite3.node');
    const demo = new Demo({ launch: launchDemoBackend, dataDir: ctx.temp.dir, mirror: ctx.mirror, accounts, log: (m) => log.push(m), visitors: 0, nativeBinding: bogus });
    const error = await demo.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining(`the SQLite addon at ${bogus}`) });
    expect((error as Error).message).toMatch(/^The demo site could not start: /);
    expect(openedFile('portfolio.sqlite').map((o) => o.options)).toEqual([{ nativeBinding: bogus }]);
    expect(log.join('\n')).toContain(bogus);
    expect(demo.visitorUrl).toBeNull();
    expect(ctx.mirror.accounts.list()).toEqual([]);
  });
});
