// The site address a user types, made into the origin every kind talks to.
import { ConsoleError } from '../../../shared/contract';

export function normalizeSiteUrl(input: string): string {
  const typed = input.trim();
  let url: URL;
  try {
    // Any scheme the user typed is kept, so that ftp://… is refused below instead of becoming https://ftp.
    url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`);
  } catch {
    throw new ConsoleError('bad-request', 'Enter the address of your site, like https://example.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConsoleError('bad-request', 'The site address must start with https:// or http://.');
  return url.origin;
}

/** The account's default name: the site's host. */
export const siteName = (baseUrl: string): string => new URL(baseUrl).host;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Refuses, before anything is sent, a plain http:// address that is not this computer unless
 * the user has confirmed it: the password, the token and every message would cross the network
 * in clear. Loopback is fine (a backend on this machine, the demo, tests).
 */
export function assertTransportAllowed(siteUrl: string, allowInsecure: boolean): void {
  const origin = normalizeSiteUrl(siteUrl);
  const url = new URL(origin);
  if (url.protocol !== 'http:' || LOOPBACK.test(url.hostname) || allowInsecure) return;
  throw new ConsoleError(
    'insecure',
    `${url.host} is not encrypted (http://): your password and every message would cross the network in clear. Use https:// if the site has it, or confirm to connect anyway.`,
  );
}
