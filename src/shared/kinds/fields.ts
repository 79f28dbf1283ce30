// How the "Add a site" and "Sign in again" forms of a kind are drawn. The renderer draws every
// kind's form from this description, so adding a kind needs no new component; the zod schema
// beside it in the kind's file is what the core accepts.

export interface KindField {
  /** The key in the accounts.connect / accounts.signIn input. Values are strings. */
  name: string;
  input: 'url' | 'text' | 'email' | 'password' | 'textarea';
  /** i18n key of the label (and the field's accessible name). */
  label: string;
  /** i18n key of a short help text shown under the field. */
  help?: string;
  required: boolean;
  autoComplete?: string;
  placeholder?: string;
  /** Shown under "Advanced" (self-hosted realtime servers, tests). */
  advanced?: boolean;
}

export interface KindForm {
  /** i18n key of the kind's name in the "Backend" control. */
  label: string;
  /** i18n key of one sentence saying what this kind is. */
  description: string;
  connect: KindField[];
  signIn: KindField[];
  /**
   * The site signs in on a page of its own: the desktop app offers "Sign in with the site's page"
   * (a separate window), sent as `signInWindow: true` in place of the pasted fields.
   */
  siteSignIn?: boolean;
}

export const siteUrlField: KindField = { name: 'siteUrl', input: 'url', label: 'kinds.fields.siteUrl', required: true, autoComplete: 'url', placeholder: 'https://example.com' };
export const emailField: KindField = { name: 'email', input: 'email', label: 'kinds.fields.email', required: true, autoComplete: 'username' };
export const passwordField: KindField = { name: 'password', input: 'password', label: 'kinds.fields.password', required: true, autoComplete: 'current-password' };
/** Sites that accept either at their login (Django: `username` may be an email). */
export const emailOrUsernameField: KindField = { name: 'login', input: 'text', label: 'kinds.fields.emailOrUsername', required: true, autoComplete: 'username' };
