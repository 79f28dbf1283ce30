// The Django Channels mentor chat (backends.md §2): the console user is the teacher. What
// "Add a site" asks and what the core accepts.
import { z } from 'zod';
import { AccountName, Password, SiteUrl, signInBase, insecureOptIn } from './common';
import { emailOrUsernameField, passwordField, siteUrlField, type KindForm } from './fields';

/** The site's login takes a username or an email in the same field. */
export const EmailOrUsername = z.string().trim().min(1).max(320);

export const DjangoChatConnect = z
  .object({ kind: z.literal('django-chat'), siteUrl: SiteUrl, ...insecureOptIn, login: EmailOrUsername, password: Password, name: AccountName.optional() })
  .strict();

export const DjangoChatSignIn = z.object({ kind: z.literal('django-chat'), ...signInBase, login: EmailOrUsername, password: Password }).strict();

export const djangoChatForm: KindForm = {
  label: 'kinds.django-chat.label',
  description: 'kinds.django-chat.description',
  connect: [siteUrlField, emailOrUsernameField, passwordField],
  signIn: [emailOrUsernameField, passwordField],
};
