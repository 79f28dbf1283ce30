// Where the app's renderer lives (the built index.html, or the dev server in `electron-vite dev`)
// and whether a URL is that renderer. The IPC bridge trusts only frames that pass this check.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** The electron-vite dev server, when running `electron-vite dev`. */
  devUrl?: string;
  /** out/renderer/index.html */
  indexFile: string;
}

export function rendererLocation(mainDir: string, env: NodeJS.ProcessEnv = process.env): RendererLocation {
  const indexFile = join(mainDir, '../renderer/index.html');
  const devUrl = env.ELECTRON_RENDERER_URL;
  return devUrl ? { devUrl, indexFile } : { indexFile };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True for the file:// index.html (any query or hash) or any page of the dev server's origin. */
export function isAppUrl(url: string, location: RendererLocation): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (location.devUrl) {
    const dev = parse(location.devUrl);
    if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && parsed.origin === dev.origin) return true;
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  const index = pathToFileURL(location.indexFile);
  const samePath = process.platform === 'win32' || process.platform === 'darwin'
    ? decodeURIComponent(parsed.pathname).toLowerCase() === decodeURIComponent(index.pathname).toLowerCase()
    : decodeURIComponent(parsed.pathname) === decodeURIComponent(index.pathname);
  return samePath;
}
