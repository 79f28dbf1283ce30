// The one entry point both transports (Electron IPC and browser mode's WebSocket) call:
// it checks the method name, parses the argument with the contract's schema, runs the
// handler, and turns every failure into a plain { code, message } the renderer can show.
import { ConsoleError, isMethodName, methods, type ConsoleApiHandlers, type InvokeResult, type MethodName } from '../../../shared/contract';

/** The envelope both transports carry to the renderer unchanged. */
export type DispatchResult = InvokeResult;
export type Dispatch = (method: unknown, input: unknown) => Promise<DispatchResult>;

/**
 * The method name and its argument checked against the contract: the parsed argument, or the
 * 'bad-request' result to send back. The shell runs it too before forwarding a call to the core host.
 */
export function checkRequest(method: unknown, input: unknown): { ok: true; method: MethodName; input: unknown } | { ok: false; result: DispatchResult } {
  if (!isMethodName(method)) {
    return { ok: false, result: { ok: false, error: { code: 'bad-request', message: `Unknown method: ${String(method).slice(0, 80)}` } } };
  }
  const parsed = methods[method].input.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`)
      .join('; ');
    return { ok: false, result: { ok: false, error: { code: 'bad-request', message: `Invalid argument for ${method}: ${detail}` } } };
  }
  return { ok: true, method, input: parsed.data };
}

export function createDispatch(handlers: ConsoleApiHandlers, log: (message: string) => void = () => {}): Dispatch {
  return async (rawMethod, rawInput) => {
    const checked = checkRequest(rawMethod, rawInput);
    if (!checked.ok) return checked.result;
    const { method } = checked;
    try {
      const handler = handlers[method] as (input: unknown) => unknown;
      return { ok: true, value: await handler(checked.input) };
    } catch (error) {
      if (error instanceof ConsoleError) return { ok: false, error: { code: error.code, message: error.message } };
      log(`${method as MethodName} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { ok: false, error: { code: 'internal', message: `Switchboard could not complete ${method}. The details are in the log.` } };
    }
  };
}
