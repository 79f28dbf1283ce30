// The edges of the Django sign-in's answers over a fake fetch (no network): the first status of
// each range (300, 500) and a Set-Cookie header joined without a space. The real sign-in is
// covered by tests/integration/django-chat-sync.test.ts against backends/django.
import { describe, expect, it } from 'vitest';
import { refreshDjango, setCookies, signInDjango } from '../../src/main/core/connectors/django-chat/session';
import { connectorFailure as failure } from '../support/connector-failure';

const BASE = 'https://mentor.example.com';
const answering = (status: number) => (async () => new Response('<h1>…</h1>', { status })) as unknown as typeof fetch;

describe('Django sign-in: range edges', () => {
  it('500 is transient (tried again); 300 is a redirect, not a Django site', async () => {
    expect(await failure(signInDjango(BASE, 'a', 'b', answering(500)))).toMatchObject({ kind: 'transient', message: 'Sign-in: the site answered 500' });
    expect(await failure(signInDjango(BASE, 'a', 'b', answering(300)))).toMatchObject({ kind: 'rejected', message: 'Sign-in: the site redirected (300); is this a Django mentor chat site?' });
    expect(await failure(signInDjango(BASE, 'a', 'b', answering(399)))).toMatchObject({ message: 'Sign-in: the site redirected (399); is this a Django mentor chat site?' });
    const current = { refresh: 'r', sessionid: 's', userId: 3 };
    expect(await failure(refreshDjango(BASE, current, answering(500)))).toMatchObject({ kind: 'transient', message: 'Renewing the sign-in: the site answered 500' });
    expect(await failure(refreshDjango(BASE, current, answering(301)))).toMatchObject({ kind: 'rejected', message: 'Renewing the sign-in: the site redirected (301); is this a Django mentor chat site?' });
  });

  it('a joined Set-Cookie header without spaces is still split between cookies', () => {
    const res = { headers: { get: (n: string) => (n === 'set-cookie' ? 'csrftoken=c1; Path=/,sessionid=s1; HttpOnly' : null) } } as unknown as Response;
    expect(Object.fromEntries(setCookies(res))).toEqual({ csrftoken: 'c1', sessionid: 's1' });
  });
});
