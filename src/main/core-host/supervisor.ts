// Keeps one core host running for the shell: starts it, forwards calls and events, and after a
// crash starts a new one (the mirror is crash-safe; accounts reconnect and catch up), at most
// `maxRestarts` times within `windowMs`. Past that it gives up and says so (the shell shows it),
// rather than looping. Calls made while no host is up are answered 'unavailable' at once.
import type { Dispatch } from '../core/api/dispatch';
import { EventBus } from '../core/events';
import { CoreHostClient, describeExit, type SecretSink } from './client';
import type { ChildPort, HostConfig, HostExit, ShellCalls } from './protocol';

export interface CoreSupervisorOptions {
  /** Starts a host process (utilityProcess in the app, child_process.fork in tests). */
  spawn: () => ChildPort;
  /** Read at every (re)start: the secrets as they are now. */
  config: () => HostConfig;
  secrets?: SecretSink;
  shellCalls?: ShellCalls;
  log: (message: string) => void;
  /** A crash beyond the restart budget: the core is gone for good. */
  onGiveUp: (exit: HostExit) => void;
  maxRestarts?: number;
  windowMs?: number;
  clock?: () => number;
  closeTimeoutMs?: number;
}

export class CoreSupervisor {
  readonly events = new EventBus();
  private client: CoreHostClient | undefined;
  private readonly restarts: number[] = [];
  private closed = false;
  private accountsStarted = false;

  constructor(private readonly options: CoreSupervisorOptions) {}

  /** Starts the host and builds the core; rejects if the core cannot open (the shell shows why). */
  async open(): Promise<void> {
    await this.openHost(this.options.config());
  }

  private async openHost(config: HostConfig): Promise<void> {
    const client = new CoreHostClient({
      port: this.options.spawn(),
      log: this.options.log,
      ...(this.options.secrets ? { secrets: this.options.secrets } : {}),
      ...(this.options.shellCalls ? { shellCalls: this.options.shellCalls } : {}),
      ...(this.options.closeTimeoutMs === undefined ? {} : { closeTimeoutMs: this.options.closeTimeoutMs }),
    });
    this.client = client;
    client.events.subscribe((name, payload) => this.events.emit(name, payload));
    // Only a host that had opened the core is restarted: one that could not open it would fail again.
    let ready = false;
    client.onExit((exit, expected) => {
      if (ready && !expected && !this.closed && this.client === client) void this.crashed(exit);
    });
    await client.init(config);
    ready = true;
  }

  /** Connects every saved account (once the transports are up); again after each restart. */
  async startAccounts(): Promise<void> {
    this.accountsStarted = true;
    await this.client?.start();
  }

  readonly dispatch: Dispatch = (method, input) => {
    const client = this.client;
    if (!client) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'The Switchboard core is not running.' } });
    return client.dispatch(method, input);
  };

  resync(reason: string): void {
    this.client?.resync(reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.close();
  }

  private async crashed(exit: HostExit): Promise<void> {
    const now = (this.options.clock ?? Date.now)();
    const windowMs = this.options.windowMs ?? 60_000;
    while (this.restarts.length && this.restarts[0]! <= now - windowMs) this.restarts.shift();
    if (this.restarts.length >= (this.options.maxRestarts ?? 3)) {
      this.options.log(`core host: crashed ${this.restarts.length + 1} times within ${windowMs / 1000} s (${describeExit(exit)}); not restarting`);
      this.client = undefined;
      return this.options.onGiveUp(exit);
    }
    this.restarts.push(now);
    this.options.log(`core host: restarting after a crash (${describeExit(exit)})`);
    try {
      // The window has had its first page long ago: the accounts need not wait for one.
      await this.openHost({ ...this.options.config(), accountsGraceMs: 0 });
    } catch (error) {
      this.options.log(`core host: the restart failed: ${error instanceof Error ? error.message : String(error)}`);
      const failed = this.client;
      this.client = undefined;
      if (failed?.running) await failed.close();
      return this.options.onGiveUp(exit);
    }
    // A crash during this start comes back through onExit and the budget above.
    if (this.accountsStarted) this.client?.start().catch((error: unknown) => this.options.log(`core host: ${error instanceof Error ? error.message : String(error)}`));
  }
}
