// The server's fixed-window rate limit: N requests per window per client address, every route
// (the WebSocket upgrade included), announced in X-RateLimit-Limit / -Remaining / -Reset (unix s).
import type { IncomingMessage } from 'node:http';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Echo's RealIP(): X-Forwarded-For (first hop), then X-Real-IP, then the socket address. */
export function realIp(req: IncomingMessage): string {
  const xff = req.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  if (first) return first;
  const xri = req.headers['x-real-ip'];
  if (typeof xri === 'string' && xri.trim()) return xri.trim();
  return req.socket.remoteAddress ?? 'unknown';
}

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  rejected = 0;

  constructor(private readonly opts: RateLimitOptions) {}

  take(key: string, now = Date.now()): RateDecision {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.opts.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.sweep(now);
    }
    const allowed = w.count < this.opts.max;
    if (allowed) w.count += 1;
    else this.rejected += 1;
    return {
      allowed,
      headers: {
        'X-RateLimit-Limit': String(this.opts.max),
        'X-RateLimit-Remaining': String(Math.max(0, this.opts.max - w.count)),
        'X-RateLimit-Reset': String(Math.ceil((w.start + this.opts.windowMs) / 1000)),
      },
    };
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.opts.windowMs) this.windows.delete(k);
  }
}
