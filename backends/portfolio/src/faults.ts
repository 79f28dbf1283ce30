// Switches that make the reference backend answer what real deployments sometimes answer and
// this backend never would on its own: Pusher error 4009 (connection unauthorized), a 401 on
// channel authorisation, 429 with Retry-After, a refused status change, and a request held until
// the test lets it go (to stop a client provably inside a catch-up). Off unless a test turns one on:
// pass one BackendFaults to startChatApi and startPusherServer (`faults`), then flip it from the
// test, or over HTTP with POST /api/test/faults (only served when a BackendFaults was passed).

export interface FaultAnswer {
  status: number;
  body: { success: boolean; error?: string };
  headers: Record<string, string>;
}

export interface FaultRule {
  /** Any method when omitted. */
  method?: string;
  /** An exact path, or a pattern over the path. */
  path: string | RegExp;
  status: number;
  error: string;
  retryAfterSeconds?: number;
  /** How many requests it answers before it turns itself off (default: until cleared). */
  times?: number;
}

/** What POST /api/test/faults accepts (JSON; a path pattern as { regex }). */
interface AdminCommand {
  clear?: boolean;
  pusherRefusal?: { code: number; message: string } | null;
  rules?: (Omit<FaultRule, 'path'> & { path: string | { regex: string } })[];
}

interface Held {
  method: string;
  path: string;
  release: () => void;
}

export const FAULTS_PATH = '/api/test/faults';

export class BackendFaults {
  private rules: (FaultRule & { left: number })[] = [];
  private holds: { method: string; path: string | RegExp }[] = [];
  private held: Held[] = [];
  /** The next Pusher connections get this pusher:error and close code right after connection_established. */
  pusherRefusal: { code: number; message: string } | null = null;
  /** Requests seen by the chat API, by "METHOD /path" (query left out). */
  readonly hits = new Map<string, number>();
  /** Answers each fault gave, by "METHOD /path". */
  readonly answered = new Map<string, number>();

  /** Pusher error 4009 for every new connection until cleared (Pusher: "connection is unauthorized"). */
  refusePusherSignIn(): this {
    this.pusherRefusal = { code: 4009, message: 'Connection is unauthorized' };
    return this;
  }

  /** The site refuses realtime channel authorisation with 401, as when its session has ended. */
  refuseChannelAuth(times?: number): this {
    return this.add({ method: 'POST', path: '/api/pusher/auth', status: 401, error: 'Unauthorized', ...(times ? { times } : {}) });
  }

  /** 429 with Retry-After on one route, `times` times. */
  rateLimit(method: string, path: string | RegExp, retryAfterSeconds: number, times = 1): this {
    return this.add({ method, path, status: 429, error: 'Too many requests', retryAfterSeconds, times });
  }

  /** Every status change (PATCH of a conversation) refused for good. */
  refuseStatusChange(error = 'This conversation cannot change status', status = 422): this {
    return this.add({ method: 'PATCH', path: /^\/api\/chat\/conversations\/[^/]+$/, status, error });
  }

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, left: rule.times ?? Infinity });
    return this;
  }

  /** Requests matching are held (not answered) until release(); `heldCount` tells how many wait. */
  hold(method: string, path: string | RegExp): this {
    this.holds.push({ method, path });
    return this;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Lets every held request go on, and holds no more. */
  release(): void {
    this.holds = [];
    const held = this.held;
    this.held = [];
    for (const h of held) h.release();
  }

  clear(): void {
    this.rules = [];
    this.pusherRefusal = null;
    this.release();
  }

  hitCount(method: string, path: string): number {
    return this.hits.get(`${method} ${path}`) ?? 0;
  }

  /** For the Pusher server, once per new connection. */
  connection(): { code: number; message: string } | null {
    return this.pusherRefusal;
  }

  /**
   * For the chat API, once per /api request before it is routed: an answer to send instead, or
   * null to go on (after any hold is released).
   */
  async http(method: string, path: string, readBody: () => Promise<Buffer>): Promise<FaultAnswer | null> {
    if (path === FAULTS_PATH) return this.admin(method, await readBody());
    const key = `${method} ${path}`;
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
    const rule = this.rules.find((r) => r.left > 0 && matches(r, method, path));
    if (rule) {
      rule.left--;
      this.answered.set(key, (this.answered.get(key) ?? 0) + 1);
      return {
        status: rule.status,
        body: { success: false, error: rule.error },
        headers: rule.retryAfterSeconds !== undefined ? { 'Retry-After': String(rule.retryAfterSeconds) } : {},
      };
    }
    if (this.holds.some((h) => matches(h, method, path))) {
      await new Promise<void>((release) => this.held.push({ method, path, release }));
    }
    return null;
  }

  private admin(method: string, body: Buffer): FaultAnswer {
    if (method !== 'POST') return { status: 405, body: { success: false, error: 'POST a fault command' }, headers: {} };
    let command: AdminCommand;
    try {
      command = JSON.parse(body.toString('utf8') || '{}') as AdminCommand;
    } catch {
      return { status: 400, body: { success: false, error: 'Malformed JSON' }, headers: {} };
    }
    if (command.clear) this.clear();
    if (command.pusherRefusal !== undefined) this.pusherRefusal = command.pusherRefusal;
    for (const r of command.rules ?? []) this.add({ ...r, path: typeof r.path === 'string' ? r.path : new RegExp(r.path.regex) });
    return { status: 200, body: { success: true }, headers: {} };
  }
}

function matches(rule: { method?: string; path: string | RegExp }, method: string, path: string): boolean {
  if (rule.method && rule.method !== method) return false;
  return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
}
