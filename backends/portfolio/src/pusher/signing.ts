// HMAC helpers shared by the Pusher-protocol server and its tests.
// Strings to sign follow pusher-channels.md §3 (channel auth, user sign-in) and §4 (HTTP API).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function hmacHex(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** Constant-time comparison of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}

/** String signed for a channel subscription: private (no channelData) or presence. */
export function channelStringToSign(socketId: string, channel: string, channelData?: string): string {
  return channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
}

export function signChannel(secret: string, socketId: string, channel: string, channelData?: string): string {
  return hmacHex(secret, channelStringToSign(socketId, channel, channelData));
}

export function userStringToSign(socketId: string, userData: string): string {
  return `${socketId}::user::${userData}`;
}

export function signUser(secret: string, socketId: string, userData: string): string {
  return hmacHex(secret, userStringToSign(socketId, userData));
}

/** The HTTP API's string to sign: METHOD\npath\nsorted lowercase query without auth_signature, unescaped. */
export function apiStringToSign(method: string, path: string, params: Record<string, string>): string {
  const query = Object.keys(params)
    .filter((k) => k !== 'auth_signature')
    .map((k) => [k.toLowerCase(), params[k] ?? ''] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}\n${path}\n${query}`;
}

export function signApiRequest(secret: string, method: string, path: string, params: Record<string, string>): string {
  return hmacHex(secret, apiStringToSign(method, path, params));
}
