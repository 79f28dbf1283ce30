// Each layer rule, shown firing on a small violating file placed in that layer, and staying
// quiet on a legal one. The files are linted in memory at the path they pretend to have.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: `${__dirname}/../..` });

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules', () => {
  it.each([
    ['src/shared imports electron', 'src/shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n", /Layer rule: this layer must not import electron/],
    ['src/shared imports node:fs', 'src/shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", /must not import Node built-ins/],
    ['src/shared imports fs without the prefix', 'src/shared/x.ts', "import { readFileSync } from 'fs';\nexport const a = readFileSync;\n", /must not import Node built-ins/],
    ['src/shared touches the DOM', 'src/shared/x.ts', 'export const a = () => document.title;\n', /has no DOM/],
    ['src/main/core imports electron', 'src/main/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n", /must not import electron/],
    ['src/main/web imports electron', 'src/main/web/x.ts', "import { app } from 'electron';\nexport const a = app;\n", /must not import electron/],
    ['src/main/core-host imports electron', 'src/main/core-host/x.ts', "import { app } from 'electron';\nexport const a = app;\n", /must not import electron/],
    ['src/main/core-host imports the shell', 'src/main/core-host/x.ts', "import { IpcBridge } from '../shell/ipc';\nexport const a = IpcBridge;\n", /src\/main\/core-host must not import src\/main\/shell or src\/main\/web/],
    ['src/main/core-host imports browser mode', 'src/main/core-host/x.ts', "import { startWebServer } from '../web/server';\nexport const a = startWebServer;\n", /src\/main\/core-host must not import src\/main\/shell or src\/main\/web/],
    ['src/main/core imports the core host', 'src/main/core/x.ts', "import { runCoreHost } from '../core-host/host';\nexport const a = runCoreHost;\n", /must not import src\/main\/shell, src\/main\/web, src\/main\/core-host or backends/],
    ['src/main/core imports the shell', 'src/main/core/x.ts', "import { TrayController } from '../shell/tray';\nexport const a = TrayController;\n", /must not import src\/main\/shell, src\/main\/web, src\/main\/core-host or backends/],
    ['src/main/core imports browser mode', 'src/main/core/api/x.ts', "import { startWebServer } from '../../web/server';\nexport const a = startWebServer;\n", /must not import src\/main\/shell, src\/main\/web, src\/main\/core-host or backends/],
    ['src/main/core imports a reference backend', 'src/main/core/demo/x.ts', "import { DEMO_ADMIN } from '../../../../backends/portfolio/src/index';\nexport const a = DEMO_ADMIN;\n", /must not import src\/main\/shell, src\/main\/web, src\/main\/core-host or backends/],
    ['src/renderer imports from src/main', 'src/renderer/src/x.ts', "import { createCore } from '../../main/core/core';\nexport const a = createCore;\n", /must not import from src\/main/],
    ['src/renderer imports electron', 'src/renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n", /must not import electron/],
    ['src/renderer uses dangerouslySetInnerHTML', 'src/renderer/src/x.tsx', 'export const A = ({ t }: { t: string }) => <p dangerouslySetInnerHTML={{ __html: t }} />;\n', /dangerouslySetInnerHTML is forbidden/],
  ])('fails when %s', async (_label, path, code, expected) => {
    const messages = await messagesFor(path, code);
    expect(messages.some((m) => expected.test(m)), messages.join('\n')).toBe(true);
  });

  it('fails on an import cycle (the planted one in tests/fixtures/layer-violations/cycle)', async () => {
    const unignored = new ESLint({ cwd: `${__dirname}/../..`, ignore: false });
    const results = await unignored.lintFiles(['tests/fixtures/layer-violations/cycle/a.ts', 'tests/fixtures/layer-violations/cycle/b.ts']);
    for (const result of results) {
      expect(result.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
    }
    expect(results).toHaveLength(2);
  });

  it.each([
    ['src/shared', 'src/shared/ok.ts', "import { z } from 'zod';\nimport { Account } from './domain';\nexport const a = [z.string(), Account];\n"],
    ['src/main/core', 'src/main/core/ok.ts', "import { join } from 'node:path';\nexport const a = join;\n"],
    ['src/main/core-host', 'src/main/core-host/ok.ts', "import { createCore } from '../core/core';\nimport { launchDemoBackend } from '../demo-backend';\nimport { fork } from 'node:child_process';\nexport const a = [createCore, launchDemoBackend, fork];\n"],
    ['src/main/shell', 'src/main/shell/ok.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['src/renderer', 'src/renderer/src/ok.ts', "import type { ConsoleApi } from '../../shared/contract';\nexport type A = ConsoleApi;\n"],
  ])('allows what %s may use', async (_label, path, code) => {
    expect(await messagesFor(path, code)).toEqual([]);
  });
});
