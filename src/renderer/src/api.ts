// The renderer's only door to the core: the ConsoleApi over the transport installed on window by
// the preload (Electron) or the web bridge (browser mode). Failed calls reject with a ConsoleError
// carrying the core's code.
import type { ConsoleApi, ConsoleTransport } from '../../shared/contract';
import { consoleApiOver } from './lib/console-api';

// One wrapper per transport: the app installs one for its lifetime; component tests install a
// fresh fake on window for each test and get a fresh wrapper with it.
let current: { transport: ConsoleTransport; api: ConsoleApi } | undefined;

export const api = (): ConsoleApi => {
  const transport = window.switchboard;
  if (current?.transport !== transport) current = { transport, api: consoleApiOver(transport) };
  return current.api;
};
