// The portfolio site's live chat (backends.md §1): what "Add a site" asks and what the core accepts.
import { z } from 'zod';
import { AccountName, Email, Password, SiteUrl, signInBase } from './common';
import { emailField, passwordField, siteUrlField, type KindForm } from './fields';

export const PusherSettings = z
  .object({
    key: z.string().trim().min(1).max(200),
    cluster: z.string().trim().min(1).max(50),
    wsHost: z.string().trim().min(1).max(255).optional(),
    wsPort: z.number().int().min(1).max(65535).optional(),
    forceTLS: z.boolean().optional(),
  })
  .strict();
export type PusherSettings = z.infer<typeof PusherSettings>;

export const PortfolioConnect = z
  .object({
    kind: z.literal('portfolio'),
    siteUrl: SiteUrl,
    email: Email,
    password: Password,
    name: AccountName.optional(),
    /** Only for sites without realtime discovery (GET /api/chat/config). */
    pusher: PusherSettings.optional(),
  })
  .strict();

export const PortfolioSignIn = z.object({ kind: z.literal('portfolio'), ...signInBase, email: Email, password: Password }).strict();

export const portfolioForm: KindForm = {
  label: 'kinds.portfolio.label',
  description: 'kinds.portfolio.description',
  connect: [siteUrlField, emailField, passwordField],
  signIn: [emailField, passwordField],
};
