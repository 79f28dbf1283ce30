// OpenManus agent conversations (backends.md §5): what "Add a site" asks and what the core accepts.
// The base URL includes `/api`; the user pastes a Bearer token (a short-lived Clerk JWT) or,
// under Advanced, the Django `sessionid` cookie.
import { z } from 'zod';
import { AccountName, PastedSecret, SiteUrl, signInBase, insecureOptIn } from './common';
import { siteUrlField, type KindField, type KindForm } from './fields';

const hasCredential = (v: { token?: string; sessionCookie?: string }) => Boolean(v.token || v.sessionCookie);
const credentialMissing = { message: 'Paste a token (or, under Advanced, a session cookie).', path: ['token'] };

export const OpenManusConnect = z
  .object({
    kind: z.literal('openmanus'),
    siteUrl: SiteUrl, ...insecureOptIn,
    token: PastedSecret.optional(),
    sessionCookie: PastedSecret.optional(),
    name: AccountName.optional(),
  })
  .strict()
  .refine(hasCredential, credentialMissing);

export const OpenManusSignIn = z
  .object({ kind: z.literal('openmanus'), ...signInBase, token: PastedSecret.optional(), sessionCookie: PastedSecret.optional() })
  .strict()
  .refine(hasCredential, credentialMissing);

const tokenField: KindField = { name: 'token', input: 'textarea', label: 'kinds.fields.token', help: 'kinds.openmanus.tokenHelp', required: false, autoComplete: 'off' };
const sessionCookieField: KindField = { name: 'sessionCookie', input: 'password', label: 'kinds.openmanus.sessionCookie', help: 'kinds.openmanus.sessionCookieHelp', required: false, autoComplete: 'off', advanced: true };

export const openmanusForm: KindForm = {
  label: 'kinds.openmanus.label',
  description: 'kinds.openmanus.description',
  connect: [{ ...siteUrlField, label: 'kinds.openmanus.baseUrl', placeholder: 'https://agents.example.com/api' }, tokenField, sessionCookieField],
  signIn: [tokenField, sessionCookieField],
};
