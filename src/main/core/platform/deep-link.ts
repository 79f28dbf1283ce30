// switchboard:// links: a second launch (or the OS, on macOS) hands one to the running app.
// Anything that is not exactly one of these shapes is ignored, never acted on.
export type DeepLink = { kind: 'open' } | { kind: 'conversation'; conversationId: number };

export const DEEP_LINK_SCHEME = 'switchboard';

export function parseDeepLink(raw: string): DeepLink | null {
  if (raw.length > 500) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  // switchboard://conversation/12 puts "conversation" in the host; switchboard:conversation/12 in the path.
  const parts = [url.hostname, ...url.pathname.split('/')].filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'open')) return { kind: 'open' };
  if (parts.length === 2 && parts[0] === 'conversation' && /^[1-9]\d{0,15}$/.test(parts[1]!)) {
    return { kind: 'conversation', conversationId: Number(parts[1]) };
  }
  return null;
}

/** The first switchboard:// argument of a command line (Windows and Linux pass links this way). */
export function findDeepLink(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return parseDeepLink(arg);
  }
  return null;
}
