// The one rule for what may leave the app as a link, used by the renderer (what becomes a link)
// and by the Electron main process (what it hands to the OS after the user confirmed).
// http(s) as is; mailto with the address only: `?subject=`, `body=`, `cc=`, `bcc=` or `attach=`
// from a visitor would prefill a mail the owner did not write.

// src/shared has no DOM or Node typings; both runtimes have the WHATWG URL this needs.
interface ParsedUrl {
  protocol: string;
  href: string;
  pathname: string;
  username: string;
  password: string;
}
declare const URL: new (input: string) => ParsedUrl;

export function safeExternalHref(raw: string): string | null {
  let url: ParsedUrl;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.username || url.password ? null : url.href;
  if (url.protocol === 'mailto:') {
    const address = url.pathname;
    return /^[^\s,;?#]+@[^\s,;?#@]+$/u.test(decodeURIComponentSafe(address)) ? `mailto:${address}` : null;
  }
  return null;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
