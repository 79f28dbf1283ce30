// The messages between the shell (Electron's main process) and the core host (a utilityProcess,
// or a forked Node process in tests and benchmarks). Calls and events are the ConsoleApi's own
// wire frames, the same that browser mode carries over its WebSocket (WireRequest/WireResponse);
// the rest is the host's life cycle and the few things only the shell can do (the OS keyring).
import type { WireRequest, WireResponse } from '../../shared/contract';
import type { SiteSignIn, SiteSignInRequest } from '../core/connectors/site-sign-in';

/** What the core host needs from the shell to build the core (everything Electron-only is resolved there). */
export interface HostConfig {
  dataDir: string;
  migrationsDir: string;
  /** The better-sqlite3 addon built for Electron's Node ABI (undefined: the package's own build). */
  nativeBinding?: string;
  demoPublicDir?: string;
  mode: 'electron' | 'web';
  version: string;
  /** The OS language (app.getLocale() is main-process only). */
  systemLanguage: 'en' | 'id';
  /** Read GNOME's do-not-disturb with gsettings (Linux). */
  gnomeDnd: boolean;
  /**
   * The account secrets, decrypted by the shell (safeStorage is main-process only). The host keeps
   * them in memory, as the in-process core did, and sends every change back to be encrypted.
   */
  secrets: { encrypted: boolean; values: Record<string, string> };
  /** The shell can open the site sign-in window (asked for with a 'shell.call'). */
  siteSignIn?: boolean;
  /** The wait for the window's first inbox page before the accounts connect (0: at once); 3 s when omitted. */
  accountsGraceMs?: number;
}

/** What the host may ask of the shell: things only Electron's main process can do. */
export interface ShellCalls {
  siteSignIn?: SiteSignIn;
}

export type ShellCallName = keyof ShellCalls;

export type ParentMessage =
  | { type: 'init'; config: HostConfig }
  | WireRequest
  | { type: 'start' }
  | { type: 'resync'; reason: string }
  | { type: 'shell.result'; id: number; ok: true; value: string }
  | { type: 'shell.result'; id: number; ok: false; error: { code: string; message: string } }
  | { type: 'close' };

export type HostMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | WireResponse
  | { type: 'started' }
  | { type: 'secret.set'; key: string; value: string }
  | { type: 'secret.delete'; key: string }
  | { type: 'shell.call'; id: number; name: 'siteSignIn'; request: SiteSignInRequest }
  | { type: 'closed' };

/** The host's side of the channel: Electron's process.parentPort, or process.send under fork. */
export interface HostPort {
  postMessage(message: HostMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The shell went away without a 'close' (a forked host's IPC channel closed). */
  onDisconnect?(listener: () => void): void;
}

/** How a host process ended: an exit code, or the signal that killed it. */
export interface HostExit {
  code: number | null;
  signal: string | null;
}

/** The shell's side of the channel: a UtilityProcess, or a ChildProcess from child_process.fork. */
export interface ChildPort {
  postMessage(message: ParentMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, however the process ended (crash, kill, or a requested close). */
  onExit(listener: (exit: HostExit) => void): void;
  kill(): void;
}
