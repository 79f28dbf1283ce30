// The site's own sign-in: GET /admin/login is an HTML form (email, password) that posts
// form-encoded back to /admin/login; success sets the admin_session cookie and redirects to /admin.
import { hashPassword, verifyPassword } from '../api/auth';
import { adminFrom, type Handler, type SiteContext } from './context';
import { escapeHtml, readForm, redirect, sendHtml } from './http';
import { mintAdminSession, SESSION_COOKIE, sessionCookieHeader } from './session-cookie';

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<link rel="stylesheet" href="/widget.css"></head><body><main class="page admin-page">${body}</main></body></html>`;
}

function loginForm(email: string, error: string | null): string {
  return page(
    'Admin login',
    `<h1>Admin login</h1>
${error ? `<p class="chat-error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/admin/login" enctype="application/x-www-form-urlencoded">
  <label>Email <input type="email" name="email" autocomplete="username" required value="${escapeHtml(email)}"></label>
  <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>`,
  );
}

export const getLoginPage: Handler = async (_ctx, _req, res) => {
  sendHtml(res, 200, loginForm('', null));
};

export const postLogin: Handler = async (ctx, req, res) => {
  let form: Map<string, string>;
  try {
    form = await readForm(req);
  } catch {
    sendHtml(res, 400, loginForm('', 'Please fill in your email and password.'));
    return;
  }
  const email = (form.get('email') ?? '').trim();
  const password = form.get('password') ?? '';
  const user = email ? ctx.store.userByEmail(email) : undefined;
  const ok = user && password ? await verifyPassword(password, user.password_hash) : false;
  if (!user || !ok) {
    // The server action re-renders the form with its error state.
    sendHtml(res, 200, loginForm(email, 'Invalid email or password.'));
    return;
  }
  const { token, expiresAt } = await mintAdminSession(ctx.authSecret, user.id, ctx.sessionTtlSeconds);
  redirect(res, 303, '/admin', { 'Set-Cookie': sessionCookieHeader(token, expiresAt, ctx.secureCookies) });
};

/** The dashboard's stand-in: proof of the session for a browser (the console reads the cookie). */
export const getAdminPage: Handler = async (ctx, req, res) => {
  const userId = await adminFrom(ctx, req);
  const user = userId !== null ? ctx.store.user(userId) : undefined;
  if (userId === null) {
    redirect(res, 307, '/admin/login');
    return;
  }
  sendHtml(res, 200, page('Admin', `<h1>Chat admin</h1><p data-testid="signed-in">Signed in${user ? ` as ${escapeHtml(user.email)}` : ''}.</p>`));
};

export const postLogout: Handler = async (_ctx, _req, res) => {
  redirect(res, 303, '/admin/login', { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax` });
};

/** Creates or updates a site admin (scrypt hash, like the plan flavour). */
export async function upsertSiteAdmin(ctx: Pick<SiteContext, 'store'>, email: string, password: string, name: string): Promise<number> {
  const existing = ctx.store.userByEmail(email);
  if (!existing || existing.name !== name || !(await verifyPassword(password, existing.password_hash))) {
    ctx.store.upsertUser(email, name, await hashPassword(password));
  }
  return (ctx.store.userByEmail(email) as { id: number }).id;
}
