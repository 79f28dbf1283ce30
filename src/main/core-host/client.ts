// The shell's handle on a core host: the same dispatch and events the in-process core offered
// (so IpcBridge and browser mode's server take it unchanged), carried as invoke/result/event
// frames over the host's channel. Every call resolves to the { ok, value | error } envelope and
// never hangs: when the host process ends, whatever was waiting is answered 'unavailable' at once.
import { checkRequest, type Dispatch, type DispatchResult } from '../core/api/dispatch';
import { EventBus } from '../core/events';
import { isEventName } from '../../shared/contract';
import { ConsoleError } from '../../shared/contract';
import type { ChildPort, HostConfig, HostExit, ShellCalls } from './protocol';

/** Where the host's secret changes go (the shell's safeStorage store). */
export interface SecretSink {
  set(key: string, value: string): void;
  delete(key: string): void;
}

export interface CoreHostClientOptions {
  port: ChildPort;
  secrets?: SecretSink;
  /** What the host may ask the shell to do (the site sign-in window). */
  shellCalls?: ShellCalls;
  log?: (message: string) => void;
  /** How long close() waits for the host to close the mirror before killing it (default 10 s). */
  closeTimeoutMs?: number;
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };

export const describeExit = (exit: HostExit): string => (exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`);

export class CoreHostClient {
  readonly events = new EventBus();
  private readonly pending = new Map<number, (result: DispatchResult) => void>();
  private readonly exitListeners = new Set<(exit: HostExit, expected: boolean) => void>();
  private nextId = 1;
  private ready: Waiter | undefined;
  private started: Waiter | undefined;
  private exit: HostExit | undefined;
  private closing = false;
  private exited!: Promise<HostExit>;
  private log: (message: string) => void;

  constructor(private readonly options: CoreHostClientOptions) {
    this.log = options.log ?? (() => {});
    this.exited = new Promise((resolve) => options.port.onExit((exit) => resolve(this.ended(exit))));
    options.port.onMessage((message) => this.receive(message));
  }

  /** Whether the host process is still there. */
  get running(): boolean {
    return this.exit === undefined;
  }

  /** Builds the core in the host; rejects with the host's reason if it could not (bad profile, migration, addon). */
  init(config: HostConfig): Promise<void> {
    return this.waitFor('ready', () => this.options.port.postMessage({ type: 'init', config }));
  }

  /** Connects every saved account (core.start). */
  start(): Promise<void> {
    return this.waitFor('started', () => this.options.port.postMessage({ type: 'start' }));
  }

  resync(reason: string): void {
    if (this.running) this.options.port.postMessage({ type: 'resync', reason });
  }

  /** The contract's calls, checked here against the schemas first (a bad call never reaches the host). */
  readonly dispatch: Dispatch = (method, input) => {
    const checked = checkRequest(method, input);
    if (!checked.ok) return Promise.resolve(checked.result);
    if (!this.running) return Promise.resolve(this.unavailable());
    const id = this.nextId++;
    return new Promise<DispatchResult>((resolve) => {
      this.pending.set(id, resolve);
      // The raw argument: the host parses it again with the same schema (defaults applied once).
      this.options.port.postMessage({ type: 'invoke', id, method: checked.method, input });
    });
  };

  /** Told once when the host ends; `expected` is false for a crash (not after close()). */
  onExit(listener: (exit: HostExit, expected: boolean) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Asks the host to close the core (mirror, sockets) and waits for it to end; kills it after the timeout. */
  async close(): Promise<HostExit> {
    if (!this.running) return this.exit!;
    this.closing = true;
    this.options.port.postMessage({ type: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.options.closeTimeoutMs ?? 10_000)));
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log('core host: did not close in time; killed');
      this.options.port.kill();
      return this.exited;
    }
    return outcome;
  }

  private waitFor(what: 'ready' | 'started', send: () => void): Promise<void> {
    if (!this.running) return Promise.reject(new Error(`The core host has stopped (${describeExit(this.exit!)}).`));
    return new Promise<void>((resolve, reject) => {
      this[what] = { resolve, reject };
      send();
    });
  }

  private receive(raw: unknown): void {
    const message = raw as { type?: unknown; [key: string]: unknown } | null;
    switch (message?.type) {
      case 'result': {
        const resolve = this.pending.get(message.id as number);
        if (!resolve) return this.log(`core host: a result for an unknown call ${String(message.id)}`);
        this.pending.delete(message.id as number);
        const { type: _type, id: _id, ...result } = message;
        return resolve(result as DispatchResult);
      }
      case 'event':
        if (!isEventName(message.name)) return this.log(`core host: an unknown event ${String(message.name).slice(0, 80)}`);
        return this.events.emit(message.name, message.payload as never);
      case 'ready':
        this.ready?.resolve();
        this.ready = undefined;
        return;
      case 'failed':
        this.ready?.reject(new Error(String(message.message)));
        this.ready = undefined;
        return;
      case 'started':
        this.started?.resolve();
        this.started = undefined;
        return;
      case 'secret.set':
        return this.options.secrets?.set(String(message.key), String(message.value));
      case 'secret.delete':
        return this.options.secrets?.delete(String(message.key));
      case 'shell.call':
        return this.shellCall(message.id as number, message.name, message.request);
      case 'closed':
        return;
      default:
        this.log(`core host: ignored a message of type ${JSON.stringify(message?.type ?? null)}`);
    }
  }

  /** Runs what the host asked of the shell and posts the answer back (a failure keeps its code). */
  private shellCall(id: number, name: unknown, request: unknown): void {
    const reply = (result: { ok: true; value: string } | { ok: false; error: { code: string; message: string } }) => {
      if (this.running) this.options.port.postMessage({ type: 'shell.result', id, ...result });
    };
    const call = name === 'siteSignIn' ? this.options.shellCalls?.siteSignIn : undefined;
    if (!call) return reply({ ok: false, error: { code: 'bad-request', message: `The shell cannot do ${JSON.stringify(name)}.` } });
    call(request as Parameters<typeof call>[0]).then(
      (value) => reply({ ok: true, value }),
      (error: unknown) => {
        if (!(error instanceof ConsoleError)) this.log(`core host: the shell's ${String(name)} failed: ${error instanceof Error ? error.message : String(error)}`);
        reply({ ok: false, error: error instanceof ConsoleError ? { code: error.code, message: error.message } : { code: 'internal', message: 'The sign-in window failed.' } });
      },
    );
  }

  private ended(exit: HostExit): HostExit {
    this.exit = exit;
    const expected = this.closing;
    if (!expected) this.log(`core host: stopped unexpectedly (${describeExit(exit)})`);
    for (const resolve of this.pending.values()) resolve(this.unavailable());
    this.pending.clear();
    const error = new Error(`The core host has stopped (${describeExit(exit)}).`);
    this.ready?.reject(error);
    this.started?.reject(error);
    this.ready = this.started = undefined;
    for (const listener of this.exitListeners) listener(exit, expected);
    return exit;
  }

  private unavailable(): DispatchResult {
    const why = this.exit ? describeExit(this.exit) : 'not running';
    return { ok: false, error: { code: 'unavailable', message: `The Switchboard core stopped (${why}). It is restarting; try again in a moment.` } };
  }
}
