// The Django Channels challenge notifications (backends.md §3): the same site and sign-in as the
// mentor chat, a notification feed instead of an inbox. A site can have both: one account of
// each kind, with the same sign-in.
import { z } from 'zod';
import { AccountName, Password, SiteUrl, signInBase, insecureOptIn } from './common';
import { EmailOrUsername } from './django-chat';
import { emailOrUsernameField, passwordField, siteUrlField, type KindForm } from './fields';

export const DjangoNotificationsConnect = z
  .object({ kind: z.literal('django-notifications'), siteUrl: SiteUrl, ...insecureOptIn, login: EmailOrUsername, password: Password, name: AccountName.optional() })
  .strict();

export const DjangoNotificationsSignIn = z.object({ kind: z.literal('django-notifications'), ...signInBase, login: EmailOrUsername, password: Password }).strict();

export const djangoNotificationsForm: KindForm = {
  label: 'kinds.django-notifications.label',
  description: 'kinds.django-notifications.description',
  connect: [siteUrlField, emailOrUsernameField, passwordField],
  signIn: [emailOrUsernameField, passwordField],
};
