// Where the app's renderer lives (the built folder served on app://switchboard, or the dev server
// in `electron-vite dev`) and whether a URL is that renderer. The IPC bridge trusts only frames
// that pass this check.
import { dirname, join } from 'node:path';
import { APP_INDEX_URL, APP_ORIGIN } from './app-protocol';

export interface RendererLocation {
  /** The electron-vite dev server, when running `electron-vite dev`. */
  devUrl?: string;
  /** out/renderer/index.html (served on app://switchboard). */
  indexFile: string;
  /** out/renderer */
  rendererDir: string;
  /** What the window loads. */
  startUrl: string;
}

export function rendererLocation(mainDir: string, env: NodeJS.ProcessEnv = process.env): RendererLocation {
  const indexFile = join(mainDir, '../renderer/index.html');
  const devUrl = env.ELECTRON_RENDERER_URL;
  const base = { indexFile, rendererDir: dirname(indexFile) };
  return devUrl ? { ...base, devUrl, startUrl: devUrl } : { ...base, startUrl: APP_INDEX_URL };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True for app://switchboard/index.html (any query or hash) or any page of the dev server's origin. Never file://. */
export function isAppUrl(url: string, location: RendererLocation): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (location.devUrl) {
    const dev = parse(location.devUrl);
    if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && parsed.origin === dev.origin) return true;
  }
  // A bare origin ("app://switchboard") is what permission checks may pass instead of the page.
  return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN && ['', '/', '/index.html'].includes(parsed.pathname);
}
