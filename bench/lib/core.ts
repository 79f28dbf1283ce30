// A real core (createCore) on a data folder, as browser mode builds it, for benchmarks that call
// it through its contract (dispatch) without the UI.
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/main/core/core';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import type { MethodName } from '../../src/shared/contract';

export function benchCore(dataDir: string, migrationsDir: string, extra: Partial<CoreOptions> = {}): Core {
  return createCore({
    dataDir,
    migrationsDir,
    settings: new JsonFileSettingsStore(join(dataDir, 'settings.json')),
    secrets: new PlainFileSecretStore(join(dataDir, 'secrets.json')),
    mode: 'web',
    version: 'bench',
    ...extra,
  });
}

/** Calls the contract like a transport does, and fails loudly on an error result. */
export async function call<T>(core: Pick<Core, 'dispatch'>, method: MethodName, input?: unknown): Promise<T> {
  const result = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
