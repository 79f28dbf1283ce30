// The Django mentor chat's REST side and sockets played by FakeDjangoSite for the
// django-chat connector's unit tests: DRF page-number pages (oldest-first messages, `page=last`),
// the cookie-only session check, mark-read, and sockets that join and echo replies. The real
// backend (backends/django) is covered by tests/integration/django-chat-*.test.ts.
import { DjangoChatConnector, type DjangoChatConnectorOptions } from '../../src/main/core/connectors/django-chat/django-chat-connector';
import type { CredentialsPort } from '../../src/main/core/connectors/credentials';
import { FakeDjangoSite, djangoCredentials, json, recordingSink, until, type FetchCall, type SiteSocket } from './django-fake-site';
import { FakeTimers } from './fake-timers';
import type { Timers } from '../../src/main/core/sync/timers';

export const NOW = Date.parse('2026-12-01T12:00:00Z');
export const LIST = '/en/api/v1/chat/teacher/conversations/';
export const iso = (ms: number) => new Date(ms).toISOString();

export const conversation = (id: number, updatedAt: number) => ({
  id,
  student_profile: { user_id: 100 + id, full_name: `Student ${id}`, username: `s${id}`, email: `s${id}@example.com`, role: 'student' },
  teacher_profile: null,
  created_at: '2026-11-01T09:00:00Z',
  updated_at: iso(updatedAt),
  last_message: null,
  unread_message_count_for_user: 0,
});

export const wireMessage = (id: number, content: string, own: boolean, at = NOW + id * 1000) => ({
  id,
  sender: own ? 3 : 9,
  sender_profile: { full_name: own ? 'Pak Budi' : 'Student' },
  content,
  timestamp: iso(at),
  is_read: false,
  is_own_message: own,
});

function drfPage(rows: unknown[], pageParam: string | null, size: number) {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const page = pageParam === 'last' ? pages : Number(pageParam ?? 1);
  if (!(page >= 1 && page <= pages)) return json(404, { detail: 'Invalid page.' });
  return json(200, {
    count: rows.length,
    next: page < pages ? `http://x/?page=${page + 1}` : null,
    previous: page > 1 ? `http://x/?page=${page - 1}` : null,
    results: rows.slice((page - 1) * size, page * size),
  });
}

/** What the site holds and how it misbehaves; tests change it between steps. */
export interface ChatModel {
  /** Newest activity first, as the teacher's list is ordered. */
  conversations: unknown[];
  /** Oldest first per conversation, as DRF pages them. */
  messages: Map<string, unknown[]>;
  /** Whether the cookie-only session check passes (false: the session expired). */
  session: boolean | 'throws';
  /** Answers a REST call before the model does (outages, 401s, held answers). */
  override: ((call: FetchCall) => Response | Promise<Response> | undefined) | null;
  /** Whether a socket echoes replies (false: the echo is lost). */
  echo: boolean;
  nextId: number;
}

export async function chatSetup(options: Partial<DjangoChatConnectorOptions> = {}, credentials: CredentialsPort = djangoCredentials()) {
  const site = await FakeDjangoSite.start();
  const model: ChatModel = { conversations: [], messages: new Map(), session: true, override: null, echo: true, nextId: 1000 };
  site.rest = async (call) => {
    const early = model.override?.(call);
    if (early) return early;
    const { pathname, searchParams } = call.url;
    const size = Number(searchParams.get('page_size') ?? 20);
    if (pathname === LIST && !call.headers.get('authorization')) {
      if (model.session === 'throws') throw new Error('connection reset');
      return model.session ? json(200, { count: 0, next: null, previous: null, results: [] }) : json(403, { detail: 'Authentication credentials were not provided.' });
    }
    if (pathname === LIST) return drfPage(model.conversations, searchParams.get('page'), size);
    const history = /^\/en\/api\/v1\/chat\/teacher\/conversations\/(\d+)\/messages\/$/.exec(pathname);
    if (history) return drfPage(model.messages.get(history[1]!) ?? [], searchParams.get('page'), size);
    if (/^\/en\/api\/v1\/chat\/conversations\/\d+\/mark-read\/$/.test(pathname) && call.method === 'POST') return json(200, { detail: 'Messages marked as read.' });
    return json(404, { detail: 'Not found.' });
  };
  const received: { socket: SiteSocket; text: string }[] = [];
  site.onSocket = (s) => {
    const id = /\/ws\/chat\/conversations\/(\d+)\//.exec(s.path)?.[1] ?? '?';
    s.ws.send(JSON.stringify({ type: 'connection_established', conversation_id: id, room_group_name: `chat_${id}` }));
    s.ws.on('message', (data) => {
      const text = (JSON.parse(data.toString()) as { message: string }).message;
      received.push({ socket: s, text });
      if (model.echo) s.ws.send(JSON.stringify({ type: 'new_message', message: wireMessage(model.nextId++, text, true) }));
    });
  };
  const timers = new FakeTimers(NOW);
  // Every delay asked for, in order: a poll's or a retry's wait is what the user waits.
  const delays: number[] = [];
  const recorded: Timers = {
    setTimeout: (fn, ms) => {
      delays.push(ms);
      return timers.setTimeout(fn, ms);
    },
    clearTimeout: timers.clearTimeout,
  };
  const logs: string[] = [];
  const connector = new DjangoChatConnector({
    baseUrl: site.url,
    credentials,
    fetch: site.fetch,
    clock: () => timers.now,
    // The top of each backoff range: the delays are exact.
    random: () => 1,
    timers: recorded,
    log: (m) => logs.push(m),
    ...options,
  });
  const rec = recordingSink();
  const close = async () => {
    await connector.disconnect();
    await site.close();
  };
  /** REST calls with a Bearer token to the list (the polls and list reads). */
  const listReads = () => site.calls.filter((c) => c.url.pathname === LIST && c.headers.get('authorization')).map((c) => c.url.search);
    /** Moves time on and waits until what it fired has asked for its next wait (a poll reschedules itself). */
  const advance = async (ms: number, what = 'the next wait') => {
    const n = delays.length;
    timers.advance(ms);
    await until(() => delays.length > n, what);
  };
  return { site, model, timers, delays, advance, logs, connector, received, close, listReads, ...rec };
}
