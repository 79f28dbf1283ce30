import { expect, type Page } from '@playwright/test';
import { ADMIN } from './backend';

/** Connects the console to a backend through the first-run form, as a user does. */
export async function connectThroughUi(page: Page, appUrl: string, apiUrl: string): Promise<void> {
  await page.goto(appUrl);
  await page.getByRole('button', { name: 'Connect your site' }).click();
  await page.getByRole('textbox', { name: 'Site URL' }).fill(apiUrl);
  await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeAttached();
}

/** A visitor session over the backend's REST API (what the widget does). */
export async function visitorSession(apiUrl: string) {
  const res = await fetch(`${apiUrl}/api/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const { data } = (await res.json()) as { data: { sessionToken: string } };
  let conversationId: number | null = null;
  return {
    async send(content: string, visitorName?: string) {
      const r = await fetch(`${apiUrl}/api/chat/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session-token': data.sessionToken },
        body: JSON.stringify({ conversationId, content, ...(visitorName ? { visitorName } : {}) }),
      });
      if (r.status !== 201) throw new Error(`send failed: ${r.status} ${await r.text()}`);
      conversationId = ((await r.json()) as { data: { conversationId: number } }).data.conversationId;
    },
  };
}

/** The site owner's own admin API (another device, or the site's dashboard): sign in once, then change statuses. */
export async function siteAdmin(apiUrl: string) {
  const login = await fetch(`${apiUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  });
  const { data } = (await login.json()) as { data: { token: string } };
  const headers = { authorization: `Bearer ${data.token}`, 'content-type': 'application/json' };
  return {
    async conversations(): Promise<{ id: number; visitorName: string; status: string }[]> {
      const r = await fetch(`${apiUrl}/api/chat/conversations?status=all&limit=100`, { headers });
      return ((await r.json()) as { data: { conversations: { id: number; visitorName: string; status: string }[] } }).data.conversations;
    },
    async setStatus(conversationId: number, status: 'active' | 'resolved' | 'closed'): Promise<void> {
      const r = await fetch(`${apiUrl}/api/chat/conversations/${conversationId}`, { method: 'PATCH', headers, body: JSON.stringify({ status }) });
      if (r.status !== 200) throw new Error(`status change failed: ${r.status} ${await r.text()}`);
    },
  };
}
