// The app's own scheme: the renderer loads from app://switchboard/index.html instead of file://,
// so the page has an origin of its own, no file:// privileges (the fuse is off in
// electron-builder.yml) and can read nothing but the built renderer folder.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { contentTypeFor } from '../../shared/content-types';

export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** For `protocol.registerSchemesAsPrivileged`, before 'ready': a standard, secure origin. */
export const APP_SCHEME_PRIVILEGES = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }];

/** The file a request for app://switchboard/... may read, or null (another host, outside the folder, a bad escape). */
export function resolveAppAsset(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (/[\0\\]/.test(path)) return null;
  const file = normalize(join(rendererDir, path === '/' ? '/index.html' : path));
  return file.startsWith(rendererDir + sep) ? file : null;
}

export type ReadFile = (file: string) => Promise<Buffer>;

/** The `protocol.handle(APP_SCHEME, ...)` handler: the built renderer and nothing else. */
export function appProtocolHandler(rendererDir: string, log: (message: string) => void, read: ReadFile = (f) => readFile(f)) {
  return async (request: { url: string; method?: string }): Promise<Response> => {
    if (request.method && request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const file = resolveAppAsset(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await read(file);
      return new Response(new Uint8Array(body), { status: 200, headers: { 'Content-Type': contentTypeFor(extname(file)), 'X-Content-Type-Options': 'nosniff' } });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR') log(`app protocol: could not read ${file}: ${String(error)}`);
      return new Response('Not found', { status: 404 });
    }
  };
}
