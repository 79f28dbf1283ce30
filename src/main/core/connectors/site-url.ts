// The site address a user types, made into the origin every kind talks to.
import { ConsoleError } from '../../../shared/contract';

export function normalizeSiteUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(input.trim()) ? input.trim() : `https://${input.trim()}`);
  } catch {
    throw new ConsoleError('bad-request', 'Enter the address of your site, like https://example.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConsoleError('bad-request', 'The site address must start with https:// or http://.');
  return url.origin;
}

/** The account's default name: the site's host. */
export const siteName = (baseUrl: string): string => new URL(baseUrl).host;
