// A fetch that answers from a function of the request and keeps every call, for unit tests of a
// connector's REST side (no network). The real sites are covered by tests/integration/*.
export interface FetchCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | null;
  init: RequestInit;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

export function fakeFetch(answer: (call: FetchCall) => Response | Promise<Response>): { fetch: typeof fetch; calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const fn = async (input: string | URL, init: RequestInit = {}) => {
    const call: FetchCall = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers: { ...(init.headers as Record<string, string> | undefined) },
      body: typeof init.body === 'string' ? init.body : null,
      init,
    };
    calls.push(call);
    return answer(call);
  };
  return { fetch: fn as unknown as typeof fetch, calls };
}
