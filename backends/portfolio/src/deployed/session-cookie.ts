// The admin_session cookie of the deployed site: an HS256 JWT {userId} signed with AUTH_SECRET,
// valid one day, HttpOnly, SameSite=Lax, Secure only in production (NODE_ENV=production).
import { SignJWT, jwtVerify } from 'jose';

export const SESSION_COOKIE = 'admin_session';
export const SESSION_TTL_SECONDS = 24 * 3600;

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function mintAdminSession(
  secret: string,
  userId: number,
  ttlSeconds = SESSION_TTL_SECONDS,
  nowMs = Date.now(),
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ userId }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(iat).setExpirationTime(exp).sign(key(secret));
  return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * The user id in a valid session token, else null. Like the site, it trusts any correctly signed,
 * unexpired token with a userId (it does not look the user up).
 */
export async function readAdminSession(secret: string, token: string): Promise<number | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] });
    const id = payload.userId;
    if (typeof id === 'number' && Number.isInteger(id) && id > 0) return id;
    if (typeof id === 'string' && /^\d{1,15}$/.test(id) && Number(id) > 0) return Number(id);
    return null;
  } catch {
    return null;
  }
}

export function sessionCookieHeader(token: string, expiresAt: Date, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', `Expires=${expiresAt.toUTCString()}`, 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** One cookie's value from a Cookie request header. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}
