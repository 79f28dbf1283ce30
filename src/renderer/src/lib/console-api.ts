// The ConsoleApi the inbox calls, over whichever transport installed window.switchboard. Both
// transports resolve every call to { ok, value | error }; a failure becomes a ConsoleError here,
// in the renderer's own world, so its code survives (a rejection crossing Electron's
// contextBridge would keep only the message).
import type { ConsoleApi, ConsoleTransport } from '../../../shared/contract';
import { ConsoleError, isConsoleErrorCode, isInvokeResult } from '../../../shared/errors';

export function consoleApiOver(transport: ConsoleTransport): ConsoleApi {
  const invoke = async (method: Parameters<ConsoleTransport['invoke']>[0], ...input: unknown[]) => {
    const result: unknown = await (transport.invoke as (method: string, ...input: unknown[]) => Promise<unknown>)(method, ...input);
    if (!isInvokeResult(result)) throw new ConsoleError('internal', `Switchboard sent an answer to ${method} this window cannot read.`);
    if (result.ok) return result.value;
    throw new ConsoleError(isConsoleErrorCode(result.error.code) ? result.error.code : 'internal', result.error.message);
  };
  return {
    invoke: invoke as ConsoleApi['invoke'],
    on: (event, listener) => transport.on(event, listener),
  };
}
