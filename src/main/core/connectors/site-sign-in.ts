// Signing in on a site's own page (its login form, its cookie) where the site has no login API:
// the desktop app opens the page in a separate, isolated window and hands back the session cookie
// the site set (src/main/shell/site-sign-in.ts). The kind then keeps it exactly like a pasted
// cookie. Browser mode has no such window and passes no SiteSignIn.
import { ConsoleError } from '../../../shared/contract';

export interface SiteSignInRequest {
  /** The page to open (the site's login page). Navigation stays on its origin. */
  url: string;
  /** The cookie the site sets once the user has signed in. */
  cookieName: string;
}

/** Resolves with the cookie's value; rejects with ConsoleError('cancelled') when the user closed the window. */
export type SiteSignIn = (request: SiteSignInRequest) => Promise<string>;

export function requireSiteSignIn(siteSignIn: SiteSignIn | undefined): SiteSignIn {
  if (!siteSignIn) throw new ConsoleError('bad-request', "Signing in with the site's page needs the desktop app. Here, paste the session cookie or enter the site secret.");
  return siteSignIn;
}
