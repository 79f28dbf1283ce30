// What both Django Channels kinds (django-chat, django-notifications) do to sign in: the same
// login, the same credentials, the same renewal, the same message for a wrong password.
// django-chat/kind.ts still has its own copy of these lines; it can use this module as is.
import type { AccountRow } from '../../mirror/accounts-repo';
import { signInError } from '../sign-in-errors';
import type { KindContext } from '../registry';
import { refreshDjango, signInDjango, type DjangoCredentials } from '../django-chat/session';
import type { Credentials } from '../credentials';

const WRONG = 'Wrong email, username or password.';

export async function djangoLogin(baseUrl: string, input: { login: string; password: string }, ctx: KindContext): Promise<DjangoCredentials> {
  try {
    return await signInDjango(baseUrl, input.login, input.password, ctx.fetch);
  } catch (error) {
    throw signInError(error, WRONG);
  }
}

export const djangoSignInAgain = (account: AccountRow, input: { login: string; password: string }, ctx: KindContext): Promise<DjangoCredentials> => djangoLogin(account.baseUrl, input, ctx);

export const djangoRefresh = (account: AccountRow, current: Credentials, ctx: KindContext): Promise<DjangoCredentials> => refreshDjango(account.baseUrl, current, ctx.fetch);
