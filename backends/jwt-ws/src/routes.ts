// The REST API of the jwt-ws server (`/api/v1/...`), Echo-style: `{success, message, data}` on
// success, `{success:false, message, error}` on failure, Bearer access tokens on every route but
// register/login/refresh/health.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { type ChatService, ServiceError } from './service';
import type { UserRow } from './db';
import {
  createRoomSchema,
  editMessageSchema,
  formatZodError,
  loginSchema,
  pageParams,
  refreshSchema,
  registerSchema,
  sendMessageSchema,
  uuidParam,
} from './validation';

const MAX_BODY = 64 * 1024;

interface Ctx {
  req: IncomingMessage;
  url: URL;
  params: string[];
  body: unknown;
  auth(): Promise<{ user: UserRow; sessionId: string }>;
}

type Result = { status: number; message: string; data?: unknown; extra?: Record<string, unknown> };
type Handler = (ctx: Ctx) => Promise<Result> | Result;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new ServiceError(400, formatZodError(r.error));
  return r.data as z.output<S>;
}

function id(ctx: Ctx, i = 0): string {
  const v = ctx.params[i] ?? '';
  if (!uuidParam.safeParse(v).success) throw new ServiceError(400, 'Invalid id');
  return v;
}

const UUID = '([^/]+)';

export function buildRoutes(svc: ChatService): Route[] {
  const r = (method: string, path: string, handler: Handler): Route => ({ method, pattern: new RegExp(`^${path}$`), handler });
  return [
    r('GET', '/health', () => ({ status: 200, message: 'OK', data: { status: 'healthy' } })),
    r('POST', '/api/v1/auth/register', async (c) => {
      const b = parse(registerSchema, c.body);
      const user = await svc.createUser({ email: b.email, username: b.username, password: b.password, displayName: b.display_name });
      return { status: 201, message: 'User registered successfully', data: svc.userJson(user) };
    }),
    r('POST', '/api/v1/auth/login', async (c) => {
      const b = parse(loginSchema, c.body);
      return { status: 200, message: 'Login successful', data: await svc.login(b.email, b.password, b.device_id, b.device_type ?? 'web') };
    }),
    r('POST', '/api/v1/auth/refresh', async (c) => {
      const b = parse(refreshSchema, c.body);
      return { status: 200, message: 'Token refreshed successfully', data: await svc.refresh(b.refresh_token) };
    }),
    r('POST', '/api/v1/auth/logout', async (c) => {
      svc.logout((await c.auth()).sessionId);
      return { status: 200, message: 'Logged out successfully', data: null };
    }),
    r('GET', '/api/v1/users/me', async (c) => ({ status: 200, message: 'User retrieved successfully', data: svc.userJson((await c.auth()).user) })),
    r('GET', `/api/v1/users/${UUID}`, async (c) => {
      await c.auth();
      return { status: 200, message: 'User retrieved successfully', data: svc.userJson(svc.getUser(id(c))) };
    }),
    r('GET', '/api/v1/rooms/my-chats', async (c) => {
      const me = (await c.auth()).user;
      return { status: 200, message: 'Rooms retrieved successfully', data: svc.myRooms(me.id) };
    }),
    r('POST', '/api/v1/rooms', async (c) => {
      const me = (await c.auth()).user;
      const room = svc.createRoom(me.id, parse(createRoomSchema, c.body));
      return { status: 201, message: 'Room created successfully', data: svc.roomJson(room, me.id) };
    }),
    r('POST', `/api/v1/rooms/direct/${UUID}`, async (c) => {
      const me = (await c.auth()).user;
      const { room, created } = svc.directRoom(me.id, id(c));
      return { status: created ? 201 : 200, message: created ? 'Direct chat created' : 'Direct chat retrieved', data: svc.roomJson(room, me.id) };
    }),
    r('GET', `/api/v1/rooms/${UUID}/messages`, async (c) => {
      const me = (await c.auth()).user;
      const { page, limit } = pageParams(c.url);
      const h = svc.history(me.id, id(c), page, limit);
      return { status: 200, message: 'Messages retrieved successfully', data: h.data, extra: { meta: h.meta } };
    }),
    r('POST', `/api/v1/rooms/${UUID}/join`, async (c) => {
      const me = (await c.auth()).user;
      return { status: 200, message: 'Joined room successfully', data: svc.roomJson(svc.joinRoom(me.id, id(c)), me.id) };
    }),
    r('POST', `/api/v1/rooms/${UUID}/leave`, async (c) => {
      svc.leaveRoom((await c.auth()).user.id, id(c));
      return { status: 200, message: 'Left room successfully', data: null };
    }),
    r('GET', `/api/v1/rooms/${UUID}`, async (c) => {
      const me = (await c.auth()).user;
      return { status: 200, message: 'Room retrieved successfully', data: svc.roomJson(svc.visibleRoom(me.id, id(c)), me.id) };
    }),
    r('POST', '/api/v1/messages', async (c) => {
      const me = (await c.auth()).user;
      return { status: 201, message: 'Message sent successfully', data: svc.sendMessage(me.id, parse(sendMessageSchema, c.body)) };
    }),
    r('PUT', `/api/v1/messages/${UUID}`, async (c) => {
      const me = (await c.auth()).user;
      return { status: 200, message: 'Message updated successfully', data: svc.editMessage(me.id, id(c), parse(editMessageSchema, c.body).content) };
    }),
    r('DELETE', `/api/v1/messages/${UUID}`, async (c) => {
      svc.deleteMessage((await c.auth()).user.id, id(c));
      return { status: 200, message: 'Message deleted successfully', data: null };
    }),
    r('POST', `/api/v1/messages/${UUID}/read`, async (c) => {
      const me = (await c.auth()).user;
      return { status: 200, message: 'Message marked as read', data: svc.markRead(me.id, id(c)) };
    }),
  ];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ServiceError(413, 'Request body too large'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Access-Control-Allow-Origin': '*',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { success: false, message, error: message }, headers);
}

/** Dispatches one request (the rate limit is applied by the caller). */
export async function dispatch(routes: Route[], svc: ChatService, req: IncomingMessage, res: ServerResponse, log: (l: string) => void): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    });
    res.end();
    return;
  }
  const matches = routes.map((rt) => ({ rt, m: rt.pattern.exec(url.pathname) })).filter((x) => x.m);
  const hit = matches.find((x) => x.rt.method === method);
  if (!hit) {
    if (matches.length > 0) sendError(res, 405, 'Method Not Allowed');
    else sendError(res, 404, 'Not Found');
    return;
  }
  try {
    let body: unknown = undefined;
    if (method === 'POST' || method === 'PUT') {
      const text = await readBody(req);
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          throw new ServiceError(400, 'Invalid JSON body');
        }
      }
    }
    const ctx: Ctx = {
      req,
      url,
      params: (hit.m as RegExpExecArray).slice(1),
      body,
      async auth() {
        const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        if (!m) throw new ServiceError(401, 'Missing or malformed Authorization header');
        const a = await svc.authenticate(m[1] ?? '');
        if ('error' in a) throw new ServiceError(401, a.error);
        return a;
      },
    };
    const out = await hit.rt.handler(ctx);
    send(res, out.status, { success: true, message: out.message, data: out.data ?? null, ...out.extra });
  } catch (err) {
    if (err instanceof ServiceError) {
      sendError(res, err.status, err.message);
      return;
    }
    log(`${method} ${url.pathname} failed: ${(err as Error).stack ?? String(err)}`);
    sendError(res, 500, 'Internal server error');
  }
}
