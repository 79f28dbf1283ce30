// The seed's §10.2 integration test, as written. Only the base URL is adapted: the seed's
// relative URLs go to a backend started here, through a module-local `fetch` that prefixes it.
// __tests__/api/chat.test.ts
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestBackend } from './api';

let backend: Awaited<ReturnType<typeof startTestBackend>>;
let BASE = '';
beforeAll(async () => {
  backend = await startTestBackend();
  BASE = backend.apiUrl;
});
afterAll(async () => {
  await backend.cleanup();
});

interface SeedResponse {
  status: number;
  json(): Promise<{ data: { sessionToken: string; conversationId: number } }>;
}
const fetch = (path: string, init?: RequestInit): Promise<SeedResponse> => globalThis.fetch(BASE + path, init) as Promise<SeedResponse>;

describe('Chat API', () => {
  let sessionToken: string;

  beforeAll(async () => {
    // Create test session
    const res = await fetch('/api/chat/session', {
      method: 'POST',
    });
    const { data } = await res.json();
    sessionToken = data.sessionToken;
  });

  it('should send message and create conversation', async () => {
    const res = await fetch('/api/chat/send', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Session-Token': sessionToken,
      },
      body: JSON.stringify({
        content: 'Test message',
        visitorName: 'Test User',
      }),
    });

    expect(res.status).toBe(201);
    const { data } = await res.json();
    expect(data.conversationId).toBeDefined();
  });
});
