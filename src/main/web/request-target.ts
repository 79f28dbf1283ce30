// Reading a request target without trusting it: anything a browser, a script or a raw socket
// can send (`//[`, `/%zz`, `*`, an absolute URL) yields a value or null, never an exception.

export interface RequestTarget {
  /** The path exactly as sent (still percent-encoded). */
  path: string;
  query: URLSearchParams;
}

/** Origin-form targets only ("/path?query"); everything else is refused by the caller. */
export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (raw === undefined || !raw.startsWith('/')) return null;
  const hash = raw.indexOf('#');
  const target = hash === -1 ? raw : raw.slice(0, hash);
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  // URLSearchParams leaves a malformed escape as it is instead of throwing.
  const query = new URLSearchParams(mark === -1 ? '' : target.slice(mark + 1));
  return { path, query };
}

/** The decoded path, or null when an escape is malformed or decodes to a NUL or a backslash. */
export function decodePath(path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  return /[\0\\]/.test(decoded) ? null : decoded;
}
