// The sandboxed preload: exposes exactly the ConsoleTransport as window.switchboard over IPC.
// ipcRenderer itself never crosses the bridge; only the two functions of transport.ts do.
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcTransport } from './transport';

contextBridge.exposeInMainWorld('switchboard', createIpcTransport(ipcRenderer));
