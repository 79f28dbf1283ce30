// The renderer's only door to the core: the ConsoleApi over the transport installed on window by
// the preload (Electron) or the web bridge (browser mode). Failed calls reject with a ConsoleError
// carrying the core's code.
import type { ConsoleApi } from '../../shared/contract';
import { consoleApiOver } from './lib/console-api';

let instance: ConsoleApi | undefined;

export const api = (): ConsoleApi => (instance ??= consoleApiOver(window.switchboard));
