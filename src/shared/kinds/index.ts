// Every backend kind's account input, as one discriminated union over `kind`. A kind adds its
// file beside this one (schemas + form) and one entry in each list below; the core registers
// its connector once in src/main/core/connectors/kinds.ts.
import { z } from 'zod';
import type { AccountKind } from '../domain';
import type { KindForm } from './fields';
import { DjangoChatConnect, DjangoChatSignIn, djangoChatForm } from './django-chat';
import { DjangoNotificationsConnect, DjangoNotificationsSignIn, djangoNotificationsForm } from './django-notifications';
import { JwtWsConnect, JwtWsSignIn, jwtWsForm } from './jwt-ws';
import { OpenManusConnect, OpenManusSignIn, openmanusForm } from './openmanus';
import { PortfolioConnect, PortfolioSignIn, portfolioForm } from './portfolio';

export const ConnectInput = z.discriminatedUnion('kind', [PortfolioConnect, DjangoChatConnect, DjangoNotificationsConnect, JwtWsConnect, OpenManusConnect]);
export type ConnectInput = z.infer<typeof ConnectInput>;

export const SignInInput = z.discriminatedUnion('kind', [PortfolioSignIn, DjangoChatSignIn, DjangoNotificationsSignIn, JwtWsSignIn, OpenManusSignIn]);
export type SignInInput = z.infer<typeof SignInInput>;

/** The kinds "Add a site" offers, in the order it offers them. */
export const kindForms: Partial<Record<AccountKind, KindForm>> = {
  portfolio: portfolioForm,
  'django-chat': djangoChatForm,
  'django-notifications': djangoNotificationsForm,
  'jwt-ws': jwtWsForm,
  openmanus: openmanusForm,
};

export type ConnectInputOf<K extends AccountKind> = Extract<ConnectInput, { kind: K }>;
export type SignInInputOf<K extends AccountKind> = Extract<SignInInput, { kind: K }>;

export type { KindField, KindForm } from './fields';
export { PusherSettings } from './portfolio';
