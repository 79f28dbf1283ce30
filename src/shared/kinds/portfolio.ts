// The portfolio site's live chat (backends.md §1): what "Add a site" asks and what the core accepts.
import { z } from 'zod';
import { AccountName, Email, Password, PastedSecret, SiteUrl, signInBase, insecureOptIn } from './common';
import { emailField, passwordField, siteUrlField, type KindField, type KindForm } from './fields';

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

/**
 * A site as deployed (backends.md §1) has no login API: the console signs in with the site's
 * `admin_session` cookie, pasted, or minted from the site's AUTH_SECRET and an admin user id.
 */
const deployedSignIn = {
  sessionCookie: PastedSecret.optional(),
  siteSecret: PastedSecret.optional(),
  adminUserId: z.string().trim().regex(/^\d{1,15}$/, 'The admin user id is a number.').optional(),
  /** Desktop app only: sign in on the site's own /admin/login page in a separate window (KindForm.siteSignIn). */
  signInWindow: z.literal(true).optional(),
};

export const PortfolioConnect = z
  .object({
    kind: z.literal('portfolio'),
    siteUrl: SiteUrl, ...insecureOptIn,
    /** The plan's sites: the admin's email and password (POST /api/admin/login). */
    email: Email.optional(),
    password: Password.optional(),
    ...deployedSignIn,
    name: AccountName.optional(),
    /** Only for sites without realtime discovery (GET /api/chat/config). */
    pusher: PusherSettings.optional(),
    /** The same from the form: key, cluster and an optional ws(s)://host:port of a self-hosted server. */
    pusherKey: z.string().trim().min(1).max(200).optional(),
    pusherCluster: z.string().trim().min(1).max(50).optional(),
    pusherServer: z.string().trim().regex(/^wss?:\/\/[^/\s:]+(:\d{1,5})?\/?$/, 'Use ws://host:port or wss://host:port.').optional(),
  })
  .strict();

export const PortfolioSignIn = z
  .object({ kind: z.literal('portfolio'), ...signInBase, email: Email.optional(), password: Password.optional(), ...deployedSignIn })
  .strict();

const optional = (f: KindField): KindField => ({ ...f, required: false });
const sessionCookieField: KindField = { name: 'sessionCookie', input: 'textarea', label: 'kinds.fields.sessionCookie', help: 'kinds.fields.sessionCookieHelp', required: false };
const siteSecretField: KindField = { name: 'siteSecret', input: 'text', label: 'kinds.fields.siteSecret', help: 'kinds.fields.siteSecretHelp', required: false, advanced: true };
const adminUserIdField: KindField = { name: 'adminUserId', input: 'text', label: 'kinds.fields.adminUserId', required: false, advanced: true, placeholder: '1' };

export const portfolioForm: KindForm = {
  label: 'kinds.portfolio.label',
  description: 'kinds.portfolio.description',
  connect: [
    siteUrlField,
    optional(emailField),
    optional(passwordField),
    sessionCookieField,
    { name: 'pusherKey', input: 'text', label: 'kinds.fields.pusherKey', help: 'kinds.fields.pusherKeyHelp', required: false },
    { name: 'pusherCluster', input: 'text', label: 'kinds.fields.pusherCluster', required: false, placeholder: 'mt1' },
    siteSecretField,
    adminUserIdField,
    { name: 'pusherServer', input: 'text', label: 'kinds.fields.pusherServer', help: 'kinds.fields.pusherServerHelp', required: false, advanced: true, placeholder: 'wss://ws.example.com:443' },
  ],
  signIn: [optional(emailField), optional(passwordField), sessionCookieField, siteSecretField, adminUserIdField],
  siteSignIn: true,
};
