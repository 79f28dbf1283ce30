// Small HTTP helpers for the deployed site, answering like a Next.js app: JSON from route
// handlers, an HTML 404 page for unknown paths, an empty 405 for a wrong method.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY) {
        failed = true;
        reject(new HttpError(413, 'Request body too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

/** Parses a JSON body like `await request.json()`: anything else is a 400 here. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'Invalid JSON body');
  }
}

/**
 * Parses a body like `await request.formData()`: urlencoded or multipart, anything else throws
 * (the deployed routes answer that with their catch-all 500).
 */
export async function readForm(req: IncomingMessage): Promise<Map<string, string>> {
  const raw = await readBody(req);
  const type = String(req.headers['content-type'] ?? '');
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
  const out = new Map<string, string>();
  form.forEach((v, k) => {
    if (typeof v === 'string' && !out.has(k)) out.set(k, v);
  });
  return out;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'self'; connect-src 'self' ws: wss: http: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'",
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, status: 303 | 307, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { Location: location, 'Content-Length': 0, ...headers });
  res.end();
}

/** Next.js's not-found page (HTML, not JSON), also for /api paths the site does not have. */
export function sendNotFound(res: ServerResponse): void {
  sendHtml(res, 404, '<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head><body><h1>404</h1><h2>This page could not be found.</h2></body></html>');
}

/** A route handler without that method: Next.js answers 405 with an empty body. */
export function sendMethodNotAllowed(res: ServerResponse, allow: string[]): void {
  res.writeHead(405, { Allow: allow.join(', '), 'Content-Length': 0 });
  res.end();
}

/** Escapes text for HTML (the login page echoes the typed email). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
