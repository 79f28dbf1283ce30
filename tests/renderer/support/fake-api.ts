// A fake ConsoleTransport for component tests, installed as window.switchboard: each method is
// answered by a handler the test gives (or fails with the core's 'internal' code when none is
// given, so a test notices a call it did not expect), every call is recorded, and events are
// pushed by the test. Not a mock of the core's logic: it stands in for the process boundary.
import type { ConsoleTransport, EventName, EventPayload, MethodName, MethodOutput, ParsedInput } from '../../../src/shared/contract';
import { ConsoleError, type InvokeResult } from '../../../src/shared/errors';

type Handler<M extends MethodName> = (input: ParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
export type FakeHandlers = { [M in MethodName]?: Handler<M> };

export interface Call {
  method: MethodName;
  input: unknown;
}

export interface FakeConsole {
  calls: Call[];
  callsOf(method: MethodName): unknown[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  handle<M extends MethodName>(method: M, handler: Handler<M>): void;
  listeners(event: EventName): number;
}

export function installFakeApi(handlers: FakeHandlers = {}): FakeConsole {
  const table = new Map<MethodName, Handler<MethodName>>(Object.entries(handlers) as [MethodName, Handler<MethodName>][]);
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: Call[] = [];
  const transport: ConsoleTransport = {
    invoke: (async (method: MethodName, input?: unknown): Promise<InvokeResult> => {
      calls.push({ method, input });
      const handler = table.get(method);
      if (!handler) return { ok: false, error: { code: 'internal', message: `The fake console has no answer for ${method}.` } };
      try {
        return { ok: true, value: await handler(input as never) };
      } catch (e) {
        if (e instanceof ConsoleError) return { ok: false, error: { code: e.code, message: e.message } };
        return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
      }
    }) as ConsoleTransport['invoke'],
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  Object.defineProperty(window, 'switchboard', { value: transport, configurable: true, writable: false });
  return {
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.input),
    emit: (event, payload) => {
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    },
    handle: (method, handler) => table.set(method, handler as Handler<MethodName>),
    listeners: (event) => listeners.get(event)?.size ?? 0,
  };
}

/** A promise the test settles by hand: for answers that must arrive in a chosen order. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
