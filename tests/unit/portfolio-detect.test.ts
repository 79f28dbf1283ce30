// Which flavour of the portfolio site answers at a Site URL (deployed/detect.ts), over a fake
// fetch passed in (tests/support/fake-fetch.ts): the plan's config endpoint, the deployed site's
// login page, and what a site that has neither, or cannot be reached, is taken for. The real
// reference backends of both flavours are covered by tests/integration/portfolio-deployed.test.ts.
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../src/shared/contract';
import { detectPortfolioFlavour } from '../../src/main/core/connectors/portfolio/deployed/detect';
import { fakeFetch, json } from '../support/fake-fetch';

const BASE = 'https://site.example.com';
const html = (body: string, status = 200) => new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
const LOGIN = '<html><body><form method="post" action="/api/admin/login"><input name="email"><input type="password" name="password"></form></body></html>';
const notFound = () => json(404, { error: 'Not found' });

function site(config: () => Response, login: () => Response = notFound) {
  return fakeFetch((call) => (call.url.pathname === '/api/chat/config' ? config() : login()));
}

describe('portfolio flavour detection', () => {
  it('the plan: a config endpoint that publishes the realtime settings; the login page is not asked', async () => {
    const f = site(() => json(200, { success: true, data: { pusher: { key: 'k', cluster: 'mt1' } } }));
    expect(await detectPortfolioFlavour(BASE, f.fetch)).toBe('plan');
    expect(f.calls).toHaveLength(1);
    const call = f.calls[0]!;
    expect([call.method, call.url.href]).toEqual(['GET', `${BASE}/api/chat/config`]);
    expect(call.init.redirect).toBe('manual');
    expect(call.headers).toEqual({ Accept: 'application/json, text/html' });
    expect(call.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('as deployed: no config, and a login page with a password form', async () => {
    const f = site(notFound, () => html(LOGIN));
    expect(await detectPortfolioFlavour(BASE, f.fetch)).toBe('deployed');
    expect(f.calls.map((x) => [x.method, x.url.href, x.init.redirect])).toEqual([
      ['GET', `${BASE}/api/chat/config`, 'manual'],
      ['GET', `${BASE}/admin/login`, 'manual'],
    ]);
    for (const form of ["<FORM class=x><input name='password'>", '<form><input name=password type=password>']) {
      expect(await detectPortfolioFlavour(BASE, site(notFound, () => html(form)).fetch)).toBe('deployed');
    }
  });

  it('a config answer that is not the plan\'s still lets the login page decide', async () => {
    const answers = [
      () => json(200, { success: true, data: {} }),
      () => json(200, { success: 'true', data: { pusher: { key: 'k' } } }),
      () => json(200, { success: true }),
      () => new Response('{not json', { status: 200, headers: { 'Content-Type': 'application/json' } }),
      () => html('{"success":true,"data":{"pusher":{"key":"k"}}}'),
      () => json(500, { success: true, data: { pusher: { key: 'k' } } }),
    ];
    for (const config of answers) expect(await detectPortfolioFlavour(BASE, site(config, () => html(LOGIN)).fetch)).toBe('deployed');
  });

  it('neither a config nor a login form: the plan without extensions (its JSON login decides)', async () => {
    const logins = [
      notFound,
      () => html(LOGIN, 404),
      () => json(200, { form: '<form><input name="password">' }),
      () => html('<form><input name="email"></form>'),
      () => html('<input name="password">'),
      () => html(`${' '.repeat(20_000)}${LOGIN}`),
      () => new Response(LOGIN, { status: 200 }),
    ];
    for (const login of logins) expect(await detectPortfolioFlavour(BASE, site(notFound, login).fetch)).toBe('plan');
    const down = fakeFetch((call) => (call.url.pathname === '/api/chat/config' ? notFound() : Promise.reject(new TypeError('reset'))));
    expect(await detectPortfolioFlavour(BASE, down.fetch)).toBe('plan');
  });

  it('an answer without a content type is no config', async () => {
    const f = site(() => new Response(null, { status: 404 }), () => html(LOGIN));
    expect(await detectPortfolioFlavour(BASE, f.fetch)).toBe('deployed');
    const g = site(notFound, () => new Response(null, { status: 200 }));
    expect(await detectPortfolioFlavour(BASE, g.fetch)).toBe('plan');
  });

  it('a login form within the first 20,000 characters is found', async () => {
    const page = `${' '.repeat(20_000 - LOGIN.length)}${LOGIN}`;
    expect(await detectPortfolioFlavour(BASE, site(notFound, () => html(page)).fetch)).toBe('deployed');
  });

  it('a site that cannot be reached says so, with its address', async () => {
    const f = fakeFetch(() => Promise.reject(new TypeError('getaddrinfo ENOTFOUND')));
    const error = await detectPortfolioFlavour(BASE, f.fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error).toMatchObject({ code: 'unavailable', message: `The site cannot be reached at ${BASE}.` });
    expect(f.calls).toHaveLength(1);
  });

  it('a body that cannot be read counts as unreachable too', async () => {
    const broken = { status: 200, headers: new Headers({ 'content-type': 'application/json' }), text: () => Promise.reject(new Error('aborted')) } as unknown as Response;
    await expect(detectPortfolioFlavour(BASE, fakeFetch(() => broken).fetch)).rejects.toBeInstanceOf(ConsoleError);
  });
});
