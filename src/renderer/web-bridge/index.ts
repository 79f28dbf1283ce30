// Browser mode only: installs window.switchboard over the WebSocket the host serves at /ws.
// The Electron app installs the same interface from its preload instead, so the inbox never
// knows which transport it is on: invoke resolves to { ok, value | error } in both, never rejects.
// When the socket drops, onConnection says so (the page shows it) and every call in flight or
// queued fails at once: a frame is never sent late, after the page has told the user it failed.
import type { ConsoleTransport, EventName, WireResponse } from '../../shared/contract';
import type { InvokeResult } from '../../shared/errors';

type Pending = (result: InvokeResult) => void;

const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
const pending = new Map<number, Pending>();
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
const queue: string[] = [];
const connectionListeners = new Set<(connected: boolean) => void>();
let socket: WebSocket | null = null;
// Optimistic until the first socket fails: the page starts by connecting.
let connected = true;
let nextId = 1;
let retryMs = 250;

function connect(): void {
  const ws = new WebSocket(url);
  socket = ws;
  ws.addEventListener('open', () => {
    retryMs = 250;
    for (const frame of queue.splice(0)) ws.send(frame);
    setConnected(true);
  });
  ws.addEventListener('message', (event) => {
    let message: WireResponse;
    try {
      message = JSON.parse(String(event.data)) as WireResponse;
    } catch {
      return;
    }
    if (message.type === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
      return;
    }
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    call(message.ok ? { ok: true, value: message.value } : { ok: false, error: { code: message.error.code, message: message.error.message } });
  });
  ws.addEventListener('close', () => {
    socket = null;
    setConnected(false);
    // Calls in flight are lost with the socket: fail them rather than hang the UI, and drop the
    // queued frames of those calls so none is sent after the page was told it failed.
    queue.length = 0;
    for (const [id, call] of pending) {
      pending.delete(id);
      call({ ok: false, error: { code: 'unavailable', message: 'The connection to Switchboard was lost.' } });
    }
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 5000);
  });
}

function setConnected(next: boolean): void {
  if (connected === next) return;
  connected = next;
  for (const listener of connectionListeners) listener(next);
}

const transport: ConsoleTransport = {
  invoke: ((method: string, input?: unknown) =>
    new Promise<InvokeResult>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      const frame = JSON.stringify({ type: 'invoke', id, method, input });
      if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
      else queue.push(frame);
    })) as ConsoleTransport['invoke'],
  on: (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    listeners.set(event, set);
    return () => set.delete(listener as (payload: unknown) => void);
  },
  onConnection: (listener) => {
    connectionListeners.add(listener);
    listener(connected);
    return () => connectionListeners.delete(listener);
  },
};

Object.defineProperty(window, 'switchboard', { value: Object.freeze(transport), writable: false, configurable: false });
connect();
