// The IPC side of window.switchboard, kept apart from index.ts (which needs Electron) so tests can
// drive it with a fake ipcRenderer. invoke resolves to the main process's { ok, value | error }
// envelope and never rejects: a rejection crossing the contextBridge would keep only its message.
import type { ConsoleTransport } from '../shared/contract';
import { isInvokeResult, type InvokeResult } from '../shared/errors';
import { wire } from '../shared/wire';

/** The part of Electron's ipcRenderer the transport uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createIpcTransport(ipc: IpcRendererLike): ConsoleTransport {
  const invoke = async (method: string, input?: unknown): Promise<InvokeResult> => {
    let result: unknown;
    try {
      result = await ipc.invoke(wire.ipcInvoke, method, input);
    } catch (error) {
      // No handler yet, or the main process went away: still an answer, with a code.
      return { ok: false, error: { code: 'unavailable', message: `Switchboard is not answering: ${error instanceof Error ? error.message : String(error)}` } };
    }
    return isInvokeResult(result) ? result : { ok: false, error: { code: 'internal', message: 'Switchboard sent an answer this window cannot read.' } };
  };
  return {
    invoke: invoke as ConsoleTransport['invoke'],
    on(event, listener) {
      const handler = (_event: unknown, name: unknown, payload: unknown) => {
        if (name === event) listener(payload as never);
      };
      ipc.on(wire.ipcEvent, handler);
      return () => {
        ipc.removeListener(wire.ipcEvent, handler);
      };
    },
  };
}

