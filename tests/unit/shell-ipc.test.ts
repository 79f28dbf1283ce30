// The Electron glue without Electron: the IPC bridge, the renderer URL check and the safeStorage
// secret store all take their Electron objects through the constructor, so fakes stand in.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleError, wire, type ConsoleApiHandlers, type ConsoleTransport } from '../../src/shared/contract';
import { createDispatch, type DispatchResult } from '../../src/main/core/api/dispatch';
import { EventBus } from '../../src/main/core/events';
import { IpcBridge, type InvokeEventLike, type WebContentsLike } from '../../src/main/shell/ipc';
import { findNativeBinding } from '../../src/main/shell/native-binding';
import { isAppUrl, rendererLocation } from '../../src/main/shell/renderer-location';
import { SafeStorageSecretStore, type SafeStorageLike } from '../../src/main/shell/safe-storage-secret-store';
import { createIpcTransport, type IpcRendererLike } from '../../src/preload/transport';
import { consoleApiOver } from '../../src/renderer/src/lib/console-api';

const mainDir = join(tmpdir(), 'switchboard-app', 'out', 'main');
// The renderer loads from the app's own scheme; its file:// path is no longer the app.
const indexUrl = 'app://switchboard/index.html';
const fileIndexUrl = pathToFileURL(join(mainDir, '../renderer/index.html')).href;

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  call(frameUrl: string | null | undefined, method: unknown, input?: unknown): Promise<DispatchResult> {
    const listener = this.handlers.get(wire.ipcInvoke);
    if (!listener) throw new Error('no invoke handler');
    const event: InvokeEventLike = { senderFrame: frameUrl === null || frameUrl === undefined ? frameUrl : { url: frameUrl } };
    return Promise.resolve(listener(event, method, input)) as Promise<DispatchResult>;
  }
}

class FakeWebContents implements WebContentsLike {
  readonly sent: unknown[][] = [];
  destroyed = false;
  constructor(private readonly url: string) {}
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }
}

function setup(env: NodeJS.ProcessEnv = {}) {
  const ipcMain = new FakeIpcMain();
  const dispatch = vi.fn(async (method: unknown, input: unknown): Promise<DispatchResult> => ({ ok: true, value: { method, input } }));
  const events = new EventBus();
  const app = new FakeWebContents(`${indexUrl}#/inbox`);
  const foreign = new FakeWebContents('https://example.com/');
  const location = rendererLocation(mainDir, env);
  const bridge = new IpcBridge({
    ipcMain,
    dispatch,
    events,
    targets: () => [app, foreign],
    isAppUrl: (url) => isAppUrl(url, location),
  });
  bridge.start();
  return { ipcMain, dispatch, events, app, foreign, bridge };
}

describe('IpcBridge', () => {
  it('passes calls from the app frame to core.dispatch and returns its result', async () => {
    const { ipcMain, dispatch } = setup();
    const result = await ipcMain.call(indexUrl, 'conversations.get', { conversationId: 1 });
    expect(dispatch).toHaveBeenCalledWith('conversations.get', { conversationId: 1 });
    expect(result).toEqual({ ok: true, value: { method: 'conversations.get', input: { conversationId: 1 } } });
  });

  it('accepts the app frame with a query or hash', async () => {
    const { ipcMain, dispatch } = setup();
    await ipcMain.call(`${indexUrl}?x=1#/settings`, 'app.info');
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('accepts the dev server origin only when running under electron-vite dev', async () => {
    const dev = setup({ ELECTRON_RENDERER_URL: 'http://localhost:5173' });
    expect((await dev.ipcMain.call('http://localhost:5173/index.html', 'app.info')).ok).toBe(true);
    expect((await dev.ipcMain.call('http://localhost:5174/', 'app.info')).ok).toBe(false);
    const packaged = setup();
    expect((await packaged.ipcMain.call('http://localhost:5173/', 'app.info')).ok).toBe(false);
  });

  it.each([
    ['a foreign web page', 'https://evil.example/'],
    ['another page of the app scheme', 'app://switchboard/other.html'],
    ['the app scheme on another host', 'app://evil/index.html'],
    ['the built index.html over file://', fileIndexUrl],
    ['a file on another host', fileIndexUrl.replace('file:///', 'file://server/')],
    ['a data: URL', 'data:text/html,<script></script>'],
    ['about:blank', 'about:blank'],
    ['an empty URL', ''],
    ['a missing frame (null)', null],
    ['a missing frame (undefined)', undefined],
  ])('refuses %s with forbidden and never dispatches', async (_label, url) => {
    const { ipcMain, dispatch } = setup();
    const result = await ipcMain.call(url, 'app.info');
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error.code).toBe('forbidden');
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses when reading senderFrame throws', async () => {
    const { ipcMain, dispatch } = setup();
    const listener = ipcMain.handlers.get(wire.ipcInvoke)!;
    const event = Object.defineProperty({}, 'senderFrame', {
      get() {
        throw new Error('frame disposed');
      },
    }) as InvokeEventLike;
    const result = (await listener(event, 'app.info', undefined)) as DispatchResult;
    expect(result.ok === false && result.error.code).toBe('forbidden');
    expect(dispatch).not.toHaveBeenCalled();
  });

  it("forwards core events to the app's windows only", () => {
    const { events, app, foreign } = setup();
    events.emit('typing', { conversationId: 3, who: 'visitor', isTyping: true });
    expect(app.sent).toEqual([[wire.ipcEvent, 'typing', { conversationId: 3, who: 'visitor', isTyping: true }]]);
    expect(foreign.sent).toEqual([]);
  });

  it("forwards a conversation's message events only once a window loaded its messages", async () => {
    const { events, app, ipcMain } = setup();
    const payload = { conversationId: 3, messages: [] };
    events.emit('messages.added', payload);
    expect(app.sent).toEqual([]);
    // Refused callers do not open anything.
    await ipcMain.call('https://example.com/', 'messages.page', { conversationId: 3, limit: 50 });
    events.emit('messages.added', payload);
    expect(app.sent).toEqual([]);
    await ipcMain.call(`${indexUrl}#/inbox`, 'messages.page', { conversationId: 3, limit: 50 });
    events.emit('messages.added', payload);
    events.emit('messages.added', { conversationId: 4, messages: [] });
    expect(app.sent).toEqual([[wire.ipcEvent, 'messages.added', payload]]);
  });

  it('skips destroyed windows', () => {
    const { events, app } = setup();
    app.destroyed = true;
    events.emit('typing', { conversationId: 3, who: 'admin', isTyping: false });
    expect(app.sent).toEqual([]);
  });

  it('stop() removes the handler and the event subscription', () => {
    const { bridge, ipcMain, events, app } = setup();
    bridge.stop();
    expect(ipcMain.handlers.size).toBe(0);
    events.emit('typing', { conversationId: 3, who: 'admin', isTyping: false });
    expect(app.sent).toEqual([]);
  });
});

/**
 * The renderer side of the IPC transport wired to the bridge: values are structured-cloned on the
 * way, as IPC and the contextBridge copy them (an Error loses everything but its message there).
 */
class FakeIpcRenderer implements IpcRendererLike {
  private readonly listeners = new Set<(event: unknown, ...args: unknown[]) => void>();
  constructor(private readonly ipcMain: FakeIpcMain) {}
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    expect(channel).toBe(wire.ipcInvoke);
    return structuredClone(await this.ipcMain.call(indexUrl, args[0], args[1]));
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    expect(channel).toBe(wire.ipcEvent);
    this.listeners.add(listener);
  }
  removeListener(_channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    this.listeners.delete(listener);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  /** What the app window's webContents.send delivers. */
  deliver(args: unknown[]): void {
    for (const listener of this.listeners) listener({}, ...structuredClone(args.slice(1)));
  }
}

describe('invoke across the IPC transport: a result envelope, the code kept', () => {
  function chain(handlers: Partial<ConsoleApiHandlers>) {
    const ipcMain = new FakeIpcMain();
    const events = new EventBus();
    const window = new FakeWebContents(`${indexUrl}#/inbox`);
    const bridge = new IpcBridge({
      ipcMain,
      dispatch: createDispatch(handlers as ConsoleApiHandlers),
      events,
      targets: () => [window],
      isAppUrl: (url) => isAppUrl(url, rendererLocation(mainDir, {})),
    });
    bridge.start();
    const ipcRenderer = new FakeIpcRenderer(ipcMain);
    const transport = createIpcTransport(ipcRenderer);
    return { ipcMain, events, window, ipcRenderer, transport, api: consoleApiOver(transport) };
  }

  it("the renderer's api rejects with a ConsoleError carrying the core's code, not just a message", async () => {
    const { api, transport } = chain({
      'conversations.get': ({ conversationId }) => {
        throw new ConsoleError('not-found', `Conversation ${conversationId} does not exist.`);
      },
    });
    // The exposed transport resolves to the envelope: nothing to lose at the bridge.
    expect(await transport.invoke('conversations.get', { conversationId: 5 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'Conversation 5 does not exist.' },
    });
    const error = await api.invoke('conversations.get', { conversationId: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error).toMatchObject({ name: 'ConsoleError', code: 'not-found', message: 'Conversation 5 does not exist.' });
    // Bad arguments are refused by dispatch with their own code.
    await expect(api.invoke('conversations.get', { conversationId: -1 })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('a successful call resolves to its value', async () => {
    const { api, transport } = chain({ 'demo.status': () => ({ visitorUrl: 'http://127.0.0.1:1/' }) });
    expect(await transport.invoke('demo.status')).toEqual({ ok: true, value: { visitorUrl: 'http://127.0.0.1:1/' } });
    expect(await api.invoke('demo.status')).toEqual({ visitorUrl: 'http://127.0.0.1:1/' });
  });

  it('the bridge never rejects: a dispatch that throws answers internal, and the throw is logged', async () => {
    const ipcMain = new FakeIpcMain();
    const log = vi.fn();
    new IpcBridge({
      ipcMain,
      dispatch: async () => {
        throw new Error('dispatch exploded');
      },
      events: new EventBus(),
      targets: () => [],
      isAppUrl: () => true,
      log,
    }).start();
    const result = await ipcMain.call(indexUrl, 'app.info');
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('could not complete') } });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('dispatch exploded'));
  });

  it('the preload transport answers unavailable when ipcRenderer.invoke rejects, and internal for an unreadable answer', async () => {
    const failing: IpcRendererLike = {
      invoke: () => Promise.reject(new Error("No handler registered for 'switchboard:invoke'")),
      on: () => {},
      removeListener: () => {},
    };
    expect(await createIpcTransport(failing).invoke('app.info')).toEqual({
      ok: false,
      error: { code: 'unavailable', message: "Switchboard is not answering: No handler registered for 'switchboard:invoke'" },
    });
    const odd = createIpcTransport({ ...failing, invoke: async () => ({ value: 1 }) });
    expect(await odd.invoke('app.info')).toMatchObject({ ok: false, error: { code: 'internal' } });
    const api = consoleApiOver(odd);
    await expect(api.invoke('app.info')).rejects.toMatchObject({ name: 'ConsoleError', code: 'internal' });
  });

  it('an unknown error code becomes internal in the renderer, with the message kept', async () => {
    const transport = { invoke: async () => ({ ok: false, error: { code: 'teapot', message: 'Short and stout' } }), on: () => () => {} } as unknown as ConsoleTransport;
    await expect(consoleApiOver(transport).invoke('app.info')).rejects.toMatchObject({ code: 'internal', message: 'Short and stout' });
  });

  it('events reach the listeners of their name only, until unsubscribed', () => {
    const { events, window, ipcRenderer, api } = chain({});
    const typing: unknown[] = [];
    const stop = api.on('typing', (p) => typing.push(p));
    api.on('presence', () => typing.push('wrong event'));
    events.emit('typing', { conversationId: 3, who: 'visitor', isTyping: true });
    for (const sent of window.sent) ipcRenderer.deliver(sent);
    expect(typing).toEqual([{ conversationId: 3, who: 'visitor', isTyping: true }]);
    stop();
    expect(ipcRenderer.listenerCount).toBe(1);
  });
});

class FakeSafeStorage implements SafeStorageLike {
  constructor(
    private readonly available = true,
    private readonly backend = 'gnome_libsecret',
  ) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('unavailable');
    return Buffer.from(`sealed(${plainText})`, 'utf8');
  }
  decryptString(encrypted: Buffer): string {
    const text = encrypted.toString('utf8');
    const match = /^sealed\((.*)\)$/s.exec(text);
    if (!match) throw new Error('cannot decrypt');
    return match[1]!;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
}

describe('SafeStorageSecretStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores base64 safeStorage ciphertext in a 0600 file and reads it back', () => {
    const file = join(dir, 'secrets.json');
    const store = new SafeStorageSecretStore(new FakeSafeStorage(), file, () => {}, 'linux');
    expect(store.encrypted).toBe(true);
    store.set('account:1', 'hunter2');
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(onDisk['account:1']).toBe('enc:' + Buffer.from('sealed(hunter2)').toString('base64'));
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new SafeStorageSecretStore(new FakeSafeStorage(), file, () => {}, 'linux').get('account:1')).toBe('hunter2');
    store.delete('account:1');
    expect(store.get('account:1')).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });

  it('hands the core host every secret decrypted (snapshot), skipping one that no longer decrypts', () => {
    const file = join(dir, 'secrets.json');
    const store = new SafeStorageSecretStore(new FakeSafeStorage(), file, () => {}, 'linux');
    store.set('account:1', 'hunter2');
    store.set('account:2', 'swordfish');
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    writeFileSync(file, JSON.stringify({ ...onDisk, 'account:3': 'garbage' }));
    const reopened = new SafeStorageSecretStore(new FakeSafeStorage(), file, () => {}, 'linux');
    expect(reopened.snapshot()).toEqual({ 'account:1': 'hunter2', 'account:2': 'swordfish' });
  });

  it("reports encrypted=false and warns on Linux's basic_text backend", () => {
    const log = vi.fn();
    const store = new SafeStorageSecretStore(new FakeSafeStorage(true, 'basic_text'), join(dir, 's.json'), log, 'linux');
    expect(store.encrypted).toBe(false);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('basic_text'));
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
  });

  it('ignores the backend name outside Linux', () => {
    const store = new SafeStorageSecretStore(new FakeSafeStorage(true, 'basic_text'), join(dir, 's.json'), () => {}, 'darwin');
    expect(store.encrypted).toBe(true);
  });

  it('falls back to plain storage with a warning where encryption is unavailable', () => {
    const log = vi.fn();
    const file = join(dir, 's.json');
    const store = new SafeStorageSecretStore(new FakeSafeStorage(false), file, log, 'linux');
    expect(store.encrypted).toBe(false);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('unencrypted'));
    store.set('k', 'value');
    expect(store.get('k')).toBe('value');
    expect(readFileSync(file, 'utf8')).toContain('plain:');
  });

  it('returns undefined for a secret it cannot decrypt, and survives a corrupt file', () => {
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify({ k: 'enc:' + Buffer.from('garbage').toString('base64') }));
    const log = vi.fn();
    expect(new SafeStorageSecretStore(new FakeSafeStorage(), file, log, 'linux').get('k')).toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('cannot decrypt'));
    writeFileSync(file, '{not json');
    const store = new SafeStorageSecretStore(new FakeSafeStorage(), file, () => {}, 'linux');
    expect(store.get('k')).toBeUndefined();
    store.set('k', 'fresh');
    expect(store.get('k')).toBe('fresh');
  });
});

describe('findNativeBinding', () => {
  const root = join(tmpdir(), 'repo');
  const addon = join(root, 'build', 'electron-native', 'better_sqlite3.node');

  it('returns undefined when packaged (electron-builder rebuilt node_modules)', () => {
    expect(findNativeBinding({ packaged: true, start: join(root, 'out', 'main'), exists: () => true })).toBeUndefined();
  });

  it('finds the Electron build at the repository root', () => {
    const files = new Set([join(root, 'package.json'), addon]);
    expect(findNativeBinding({ packaged: false, start: join(root, 'out', 'main'), exists: (p) => files.has(p) })).toBe(addon);
  });

  it('logs a rebuild hint when it is missing', () => {
    const log = vi.fn();
    const files = new Set([join(root, 'package.json')]);
    expect(findNativeBinding({ packaged: false, start: join(root, 'out', 'main'), exists: (p) => files.has(p), log })).toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('electron-native.mjs'));
  });
});
