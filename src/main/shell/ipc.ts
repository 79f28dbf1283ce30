// The IPC transport of the ConsoleApi: one invoke channel into core.dispatch, one event channel
// out to the app's windows. Only the app's own renderer frame may call; everything else gets
// { ok:false, error:{ code:'forbidden' } }. Arguments are validated by core.dispatch (zod).
// Every call resolves to that { ok, value | error } envelope and never rejects: a rejected
// ipcMain.handle reaches the renderer as a bare message, without the error's code.
import { wire, type EventName } from '../../shared/contract';
import type { Dispatch, DispatchResult } from '../core/api/dispatch';
import { ShownConversations } from '../core/api/shown-conversations';
import type { EventBus } from '../core/events';

/** The part of an IpcMainInvokeEvent the bridge reads. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null | undefined;
}

/** The part of Electron's ipcMain the bridge uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of a WebContents events are sent to. */
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  getURL(): string;
}

export interface IpcBridgeOptions {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  events: Pick<EventBus, 'subscribe'>;
  /** The webContents of the app's windows (e.g. BrowserWindow.getAllWindows()). */
  targets: () => Iterable<WebContentsLike>;
  /** Whether a frame URL is the app's own renderer (see renderer-location.ts). */
  isAppUrl: (url: string) => boolean;
  log?: (message: string) => void;
}

const FORBIDDEN: DispatchResult = {
  ok: false,
  error: { code: 'forbidden', message: 'This page is not allowed to use the Switchboard API.' },
};

const INTERNAL: DispatchResult = {
  ok: false,
  error: { code: 'internal', message: 'Switchboard could not complete this request. The details are in the log.' },
};

export class IpcBridge {
  private unsubscribe: (() => void) | undefined;
  /** Message events go only to conversations the windows loaded (kept across core host restarts). */
  private readonly shown = new ShownConversations();

  constructor(private readonly options: IpcBridgeOptions) {}

  start(): void {
    if (this.unsubscribe) return;
    this.options.ipcMain.handle(wire.ipcInvoke, (event, method, input) => this.invoke(event, method, input));
    this.unsubscribe = this.options.events.subscribe((name, payload) => this.forward(name, payload));
  }

  stop(): void {
    if (!this.unsubscribe) return;
    this.options.ipcMain.removeHandler(wire.ipcInvoke);
    this.unsubscribe();
    this.unsubscribe = undefined;
  }

  private async invoke(event: InvokeEventLike, method: unknown, input: unknown): Promise<DispatchResult> {
    const url = frameUrl(event);
    if (url === undefined || !this.options.isAppUrl(url)) {
      this.options.log?.(`ipc: refused ${String(method).slice(0, 80)} from ${url === undefined ? 'a missing frame' : url.slice(0, 200)}`);
      return FORBIDDEN;
    }
    this.shown.noteRequest(method, input);
    try {
      return await this.options.dispatch(method, input);
    } catch (error) {
      this.options.log?.(`ipc: ${String(method).slice(0, 80)} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return INTERNAL;
    }
  }

  private forward(name: EventName, payload: unknown): void {
    if (!this.shown.wants(name, payload)) return;
    for (const contents of this.options.targets()) {
      if (contents.isDestroyed() || !this.options.isAppUrl(contents.getURL())) continue;
      contents.send(wire.ipcEvent, name, payload);
    }
  }
}

function frameUrl(event: InvokeEventLike): string | undefined {
  try {
    // senderFrame is null once the frame navigated away or was destroyed.
    const frame = event.senderFrame;
    return frame && typeof frame.url === 'string' && frame.url !== '' ? frame.url : undefined;
  } catch {
    return undefined;
  }
}
