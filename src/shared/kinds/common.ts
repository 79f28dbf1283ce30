// Field schemas every kind's connect and sign-in inputs share.
import { z } from 'zod';
import { LocalId } from '../domain';

export const SiteUrl = z.string().trim().min(1).max(500);
export const Email = z.email().max(320);
export const Password = z.string().min(1).max(1000);
export const AccountName = z.string().trim().min(1).max(100);
/** A token or cookie value pasted by the user. */
export const PastedSecret = z.string().trim().min(1).max(8000);

/** Every sign-in input names the account it is for. */
export const signInBase = { accountId: LocalId } as const;

/**
 * A plain http:// site that is not on this computer: the password and every message would cross
 * the network unencrypted. Connecting needs this set, after the user has confirmed it.
 */
export const insecureOptIn = { allowInsecure: z.literal(true).optional() } as const;
