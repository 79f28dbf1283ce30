// The deployed site's admin_session token: an HS256 JWT {userId} signed with the site's
// AUTH_SECRET, valid one day. The console reads a pasted cookie's expiry from it, and with the
// site secret mints (and later renews) its own.
import { SignJWT, decodeJwt } from 'jose';

export const SESSION_TTL_SECONDS = 24 * 3600;
/** The cookie the site's /admin/login sets. */
export const SESSION_COOKIE = 'admin_session';
/** A minted token is renewed this long before it ends. */
export const RENEW_BEFORE_MS = 60 * 60 * 1000;

/** True when a token with this expiry should be renewed now. */
export const needsRenewal = (expiresAt: number | null | undefined, nowMs: number): boolean => expiresAt != null && expiresAt - nowMs < RENEW_BEFORE_MS;

export async function mintSessionToken(siteSecret: string, userId: number, nowMs: number, ttlSeconds = SESSION_TTL_SECONDS): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ userId }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(iat).setExpirationTime(exp).sign(new TextEncoder().encode(siteSecret));
  return { token, expiresAt: exp * 1000 };
}

/** What a pasted cookie says about itself (unverified: only the site can check the signature). */
export function readSessionToken(token: string): { userId: number | null; expiresAt: number | null } | null {
  try {
    const claims = decodeJwt(token);
    const id = typeof claims.userId === 'number' ? claims.userId : typeof claims.userId === 'string' && /^\d+$/.test(claims.userId) ? Number(claims.userId) : null;
    return { userId: id, expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null };
  } catch {
    return null;
  }
}

/** A pasted value may be the bare token or a whole `admin_session=...; Path=/` cookie line. */
export function cookieTokenFrom(pasted: string): string {
  const trimmed = pasted.trim();
  const m = /(?:^|[;\s])admin_session=([^;\s]+)/.exec(trimmed);
  return m?.[1] ?? trimmed;
}
