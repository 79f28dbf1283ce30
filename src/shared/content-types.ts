// Content types for the renderer's files, the same whether browser mode serves them over HTTP
// or the app over its app:// scheme.
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.bdic': 'application/octet-stream',
};

/** The type for a file extension (with its dot), else a download. */
export const contentTypeFor = (extension: string): string => CONTENT_TYPES[extension] ?? 'application/octet-stream';
