// A JWT WebSocket chat server (backends.md §4): what "Add a site" asks and what the core accepts.
import { z } from 'zod';
import { AccountName, Email, Password, SiteUrl, signInBase, insecureOptIn } from './common';
import { emailField, passwordField, siteUrlField, type KindForm } from './fields';

export const JwtWsConnect = z
  .object({
    kind: z.literal('jwt-ws'),
    siteUrl: SiteUrl, ...insecureOptIn,
    email: Email,
    password: Password,
    name: AccountName.optional(),
  })
  .strict();

export const JwtWsSignIn = z.object({ kind: z.literal('jwt-ws'), ...signInBase, email: Email, password: Password }).strict();

export const jwtWsForm: KindForm = {
  label: 'kinds.jwt-ws.label',
  description: 'kinds.jwt-ws.description',
  connect: [siteUrlField, emailField, passwordField],
  signIn: [emailField, passwordField],
};
