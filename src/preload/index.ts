// The sandboxed preload: exposes exactly the ConsoleApi as window.switchboard over IPC.
// ipcRenderer itself never crosses the bridge; only these two functions do.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiError, ConsoleApi, EventName } from '../shared/contract';
import { wire } from '../shared/wire';

type Result = { ok: true; value: unknown } | { ok: false; error: ApiError };

class ConsoleApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}

const api: ConsoleApi = {
  async invoke(method, ...input) {
    const result = (await ipcRenderer.invoke(wire.ipcInvoke, method, input[0])) as Result;
    if (result.ok) return result.value as never;
    throw new ConsoleApiError(result.error.code, result.error.message);
  },
  on(event, listener) {
    const handler = (_event: IpcRendererEvent, name: EventName, payload: unknown) => {
      if (name === event) listener(payload as never);
    };
    ipcRenderer.on(wire.ipcEvent, handler);
    return () => {
      ipcRenderer.removeListener(wire.ipcEvent, handler);
    };
  },
};

contextBridge.exposeInMainWorld('switchboard', api);
