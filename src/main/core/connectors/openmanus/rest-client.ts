// HTTP for an OpenManus backend: REST under {baseUrl}/v1/chat, where the base URL the user gives
// includes `/api`. Credentials are a pasted Bearer token (short-lived Clerk JWT) or the Django
// `sessionid` cookie; with the cookie, writes carry Django's double-submit CSRF pair.
import type { z } from 'zod';
import { ConnectorError } from '../connector';
import { requestJson, transientFor } from '../http-json';
import {
  ConversationDetail,
  ConversationList,
  MessageList,
  SendResult,
  WireConversation,
  WireMessage,
  parseEach,
} from './wire';

export type OpenManusCredentials = { token: string } | { sessionid: string };

export interface OpenManusRestOptions {
  baseUrl: string;
  credentials: () => OpenManusCredentials | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
  warn?: (message: string) => void;
  /** Random characters for the CSRF pair (tests pass a fixed one). */
  csrfToken?: () => string;
}

export function normalizeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('The base URL must start with http:// or https://');
  return url.toString().replace(/\/+$/, '');
}

/** ws(s)://host/…/ws for a base URL of http(s)://host/…/api (the seed's NEXT_PUBLIC_WS_BASE_URL). */
export function socketBaseUrl(baseUrl: string): string {
  const url = new URL(normalizeBaseUrl(baseUrl));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/api$/, '')}/ws`;
  url.search = '';
  return url.toString();
}

function detailOf(json: unknown, status: number): string {
  if (json && typeof json === 'object' && 'detail' in json) {
    const detail = (json as { detail: unknown }).detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((d) => (d && typeof d === 'object' && 'msg' in d ? `${Array.isArray((d as { loc?: unknown }).loc) ? `${((d as { loc: unknown[] }).loc).join('.')}: ` : ''}${String((d as { msg: unknown }).msg)}` : String(d)))
        .join('; ');
    }
  }
  return `HTTP ${status}`;
}

const randomCsrf = () => Array.from({ length: 32 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 62)]).join('');

export class OpenManusRest {
  readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: OpenManusRestOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.fetchFn = options.fetch ?? fetch;
    this.warn = options.warn ?? (() => undefined);
  }

  async listConversations(): Promise<WireConversation[]> {
    const items = await this.request('GET', '/conversations', ConversationList);
    return parseEach(WireConversation, items, this.warn, 'conversation');
  }

  async conversation(id: string): Promise<{ detail: ConversationDetail; messages: WireMessage[] }> {
    const detail = await this.request('GET', `/conversations/${encodeURIComponent(id)}`, ConversationDetail);
    return { detail, messages: parseEach(WireMessage, detail.messages, this.warn, 'message') };
  }

  /** Newest first, as the backend answers. */
  async messagesNewestFirst(id: string): Promise<WireMessage[]> {
    const items = await this.request('GET', `/conversations/${encodeURIComponent(id)}/messages`, MessageList);
    return parseEach(WireMessage, items, this.warn, 'message');
  }

  async createConversation(body: { model: string; content: string; agent_type?: string; llm_overrides?: Record<string, unknown> }): Promise<WireConversation> {
    return this.request('POST', '/conversations', WireConversation, body);
  }

  async sendMessage(id: string, content: string, base64Image?: string): Promise<{ messageId: string; attachments: number }> {
    const body = base64Image ? { content, base64_image: base64Image } : { content };
    const r = await this.request('POST', `/conversations/${encodeURIComponent(id)}/messages`, SendResult, body);
    return { messageId: r.message_id, attachments: r.attachments_count ?? 0 };
  }

  private async request<T extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: T, body?: unknown): Promise<z.output<T>> {
    const credentials = this.options.credentials();
    if (!credentials) throw new ConnectorError('auth', 'No token: paste a fresh token for this account.');
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if ('token' in credentials) headers.Authorization = `Bearer ${credentials.token}`;
    else {
      const cookies = [`sessionid=${credentials.sessionid}`];
      if (method !== 'GET') {
        const csrf = (this.options.csrfToken ?? randomCsrf)();
        cookies.push(`csrftoken=${csrf}`);
        headers['X-CSRFToken'] = csrf;
        headers.Referer = this.baseUrl; // Django checks the Referer on HTTPS
      }
      headers.Cookie = cookies.join('; ');
    }
    const { res, json } = await requestJson(this.fetchFn, `${this.baseUrl}/v1/chat${path}`, { method, headers, body, timeoutMs: this.options.timeoutMs }, this.baseUrl);
    const detail = detailOf(json, res.status);
    if (res.status === 401) throw new ConnectorError('auth', `The backend refused the token (${detail}): paste a fresh one.`);
    if (res.status === 403 && 'sessionid' in credentials) throw new ConnectorError('auth', `The session was refused (${detail}).`);
    const transient = transientFor(res, detail, Date.now());
    if (transient) throw transient;
    if (!res.ok) throw new ConnectorError('rejected', detail);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ConnectorError('rejected', `Unexpected answer from ${path}: not an OpenManus backend (${parsed.error.issues[0]?.message ?? 'invalid'}).`);
    return parsed.data;
  }
}
