// Access tokens (HS256 JWTs via jose, short-lived) and refresh tokens (opaque, stored hashed,
// rotated on every refresh) of the jwt-ws server. Passwords use the portfolio backend's scrypt.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

export { hashPassword, verifyPassword } from '../../portfolio/src/api/auth';

export const JWT_ISSUER = 'switchboard-jwt-ws';

export interface AccessClaims {
  userId: string;
  email: string;
  username: string;
  sessionId: string;
}

export async function signAccessToken(key: Uint8Array, c: AccessClaims, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  const token = await new SignJWT({ user_id: c.userId, email: c.email, username: c.username, session_id: c.sessionId, type: 'access' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(c.userId)
    .setIssuer(JWT_ISSUER)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export type VerifyResult = { ok: true; userId: string; sessionId: string } | { ok: false; reason: 'expired' | 'invalid' };

export async function verifyAccessToken(key: Uint8Array, token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer: JWT_ISSUER, algorithms: ['HS256'] });
    if (payload.type !== 'access' || typeof payload.sub !== 'string' || typeof payload.session_id !== 'string') {
      return { ok: false, reason: 'invalid' };
    }
    return { ok: true, userId: payload.sub, sessionId: payload.session_id };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
