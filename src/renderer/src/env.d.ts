import type { ConsoleApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Installed by the preload (Electron) or the web bridge (browser mode). */
    readonly switchboard: ConsoleApi;
  }
}

declare module '*.wav?url' {
  const url: string;
  export default url;
}
