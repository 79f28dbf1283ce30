// Serves one file of the built renderer. A file that cannot be read (permissions, removed while
// a build runs) answers 404/500 and is logged; it never throws out of the request.
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { contentTypeFor } from '../../shared/content-types';

export const HTML_TYPE = contentTypeFor('.html');

export function plain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/** `decodedPath` is the request's decoded path; only files inside `root` are served. */
export function serveStatic(res: ServerResponse, root: string, decodedPath: string, head: boolean, log: (message: string) => void): void {
  const file = normalize(join(root, decodedPath));
  if (!file.startsWith(root + sep)) return plain(res, 404, 'Not found');
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return plain(res, 404, 'Not found');
    size = stat.size;
  } catch {
    return plain(res, 404, 'Not found');
  }
  if (head) {
    res.writeHead(200, { 'Content-Type': contentTypeFor(extname(file)), 'Content-Length': size });
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.once('open', () => {
    res.writeHead(200, { 'Content-Type': contentTypeFor(extname(file)) });
    stream.pipe(res);
  });
  stream.once('error', (error) => {
    log(`web: could not read ${file}: ${error.message}`);
    plain(res, 500, 'This file could not be read.');
  });
  res.once('close', () => stream.destroy());
}
