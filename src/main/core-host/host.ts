// The core host: the whole core (mirror, sync, sockets, attention) in a process of its own, so
// its work never stalls the window, the tray or IPC in Electron's main process. It answers the
// ConsoleApi's invoke frames with the same { ok, value | error } envelope every transport
// carries, pushes the core's events as event frames, and needs nothing from Electron: the shell
// resolves paths, the native addon and the secrets, and passes them in the 'init' message.
import { join } from 'node:path';
import { DEFAULT_ACCOUNTS_GRACE_MS } from '../core/accounts/start-gate';
import { createCore, type Core } from '../core/core';
import type { DemoBackendLauncher } from '../core/demo/demo';
import { GnomeDndProbe, runCommand } from '../core/platform/os-dnd';
import { makeProfilePrivate } from '../core/platform/private-profile';
import { JsonFileSettingsStore } from '../core/settings/settings-store';
import { realTimers } from '../core/sync/timers';
import { ConsoleError, WireRequest, isConsoleErrorCode } from '../../shared/contract';
import type { SiteSignInRequest } from '../core/connectors/site-sign-in';
import { MirroredSecretStore } from './mirrored-secrets';
import type { HostConfig, HostMessage, HostPort } from './protocol';

export interface CoreHostOptions {
  port: HostPort;
  log: (message: string) => void;
  demoBackend?: DemoBackendLauncher;
  /** Ends the process once the core has closed (process.exit in the entry). */
  exit: (code: number) => void;
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
const UNAVAILABLE = { code: 'unavailable', message: 'The Switchboard core is not running.' };

export function runCoreHost(options: CoreHostOptions): { close(): Promise<void> } {
  const { port, log } = options;
  let core: Core | undefined;
  let dnd: GnomeDndProbe | undefined;
  let closing = false;
  const post = (message: HostMessage) => port.postMessage(message);
  // Calls to the shell in flight (the sign-in window), answered by 'shell.result'.
  const shellCalls = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
  let nextShellCall = 1;
  const siteSignIn = (request: SiteSignInRequest) =>
    new Promise<string>((resolve, reject) => {
      const id = nextShellCall++;
      shellCalls.set(id, { resolve, reject });
      post({ type: 'shell.call', id, name: 'siteSignIn', request });
    });
  const shellResult = (message: { id?: unknown; ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } }) => {
    const call = shellCalls.get(message.id as number);
    if (!call) return log(`core host: a shell result for an unknown call ${String(message.id)}`);
    shellCalls.delete(message.id as number);
    if (message.ok === true && typeof message.value === 'string') return call.resolve(message.value);
    const code = message.error?.code;
    call.reject(new ConsoleError(isConsoleErrorCode(code) ? code : 'internal', String(message.error?.message ?? 'The shell could not do this.')));
  };

  const init = (config: HostConfig) => {
    if (core) return log('core host: a second init was ignored');
    try {
      dnd = config.gnomeDnd ? new GnomeDndProbe({ run: runCommand, timers: realTimers }) : undefined;
      dnd?.start();
      core = createCore({
        mode: config.mode,
        version: config.version,
        dataDir: config.dataDir,
        migrationsDir: config.migrationsDir,
        ...(config.nativeBinding ? { nativeBinding: config.nativeBinding } : {}),
        ...(config.demoPublicDir ? { demoPublicDir: config.demoPublicDir } : {}),
        ...(options.demoBackend ? { demoBackend: options.demoBackend } : {}),
        // The same settings.json in the profile the shell's electron-store used before.
        settings: new JsonFileSettingsStore(join(config.dataDir, 'settings.json'), log),
        secrets: new MirroredSecretStore(config.secrets, post),
        ...(dnd ? { osDnd: dnd } : {}),
        systemLanguage: () => config.systemLanguage,
        ...(config.siteSignIn ? { siteSignIn } : {}),
        accountsGraceMs: config.accountsGraceMs ?? DEFAULT_ACCOUNTS_GRACE_MS,
        log,
      });
      // No notifier: notifications travel as 'notifications.show' events, which the shell shows.
      core.events.subscribe((name, payload) => post({ type: 'event', name, payload }));
      // The mirror just opened: its files too.
      makeProfilePrivate(config.dataDir, log);
      post({ type: 'ready' });
    } catch (error) {
      log(`core host: the core could not start: ${describe(error)}`);
      dnd?.stop();
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      options.exit(1);
    }
  };

  const invoke = async (request: WireRequest) => {
    if (!core || closing) return post({ type: 'result', id: request.id, ok: false, error: UNAVAILABLE });
    const result = await core.dispatch(request.method, request.input);
    post(result.ok ? { type: 'result', id: request.id, ok: true, value: result.value } : { type: 'result', id: request.id, ok: false, error: result.error });
  };

  const close = async () => {
    if (closing) return;
    closing = true;
    dnd?.stop();
    for (const call of shellCalls.values()) call.reject(new ConsoleError('unavailable', 'Switchboard is closing.'));
    shellCalls.clear();
    try {
      await core?.close();
    } catch (error) {
      log(`core host: closing the core failed: ${describe(error)}`);
    }
    post({ type: 'closed' });
    options.exit(0);
  };

  port.onMessage((raw) => {
    const message = raw as { type?: unknown } | null;
    switch (message?.type) {
      case 'init':
        return init((message as { config: HostConfig }).config);
      case 'invoke': {
        const parsed = WireRequest.safeParse(message);
        if (!parsed.success) return log('core host: refused a malformed invoke frame');
        return void invoke(parsed.data).catch((error: unknown) => {
          log(`core host: ${parsed.data.method} failed: ${describe(error)}`);
          post({ type: 'result', id: parsed.data.id, ok: false, error: { code: 'internal', message: 'Switchboard could not answer this request.' } });
        });
      }
      case 'start':
        if (!core) return log('core host: start before init');
        return void core.start().then(
          () => post({ type: 'started' }),
          (error: unknown) => log(`core host: starting the accounts failed: ${describe(error)}`),
        );
      case 'resync':
        return core?.resync(String((message as { reason?: unknown }).reason ?? 'asked by the shell'));
      case 'shell.result':
        return shellResult(message as Parameters<typeof shellResult>[0]);
      case 'close':
        return void close();
      default:
        log(`core host: ignored a message of type ${JSON.stringify(message?.type ?? null)}`);
    }
  });
  return { close };
}
