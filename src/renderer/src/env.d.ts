import type { ConsoleTransport } from '../../shared/contract';

declare global {
  interface Window {
    /** Installed by the preload (Electron) or the web bridge (browser mode); wrapped by api.ts. */
    readonly switchboard: ConsoleTransport;
  }
}

declare module '*.wav?url' {
  const url: string;
  export default url;
}
