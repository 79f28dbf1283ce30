// The renderer's only door to the core: the ConsoleApi installed on window by the preload
// (Electron) or the web bridge (browser mode).
import type { ConsoleApi } from '../../shared/contract';

export const api = (): ConsoleApi => window.switchboard;
