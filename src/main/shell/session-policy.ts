// What every session gets (the default one and any created later): of all permissions only
// notifications, for the app's own page; and a spellchecker dictionary URL on the app's own
// origin, so Chromium never downloads Hunspell dictionaries from a third party (Google's CDN by
// default on Windows and Linux). Dictionaries placed in out/renderer/dictionaries/ are served
// from there; without them the spellchecker simply has none. macOS uses the system's.
import { APP_ORIGIN } from './app-protocol';
import { permissionAllowed } from './permissions';

export const DICTIONARY_URL = `${APP_ORIGIN}/dictionaries/`;

/** The part of Electron's Session the policy sets (a fake in tests). */
export interface PolicySession {
  setPermissionRequestHandler(handler: (contents: { getURL(): string }, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string }) => boolean): void;
  setSpellCheckerDictionaryDownloadURL(url: string): void;
}

export function applySessionPolicy(session: PolicySession, isAppUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl ?? contents.getURL(), isAppUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => permissionAllowed(permission, details.requestingUrl ?? requestingOrigin, isAppUrl));
  session.setSpellCheckerDictionaryDownloadURL(DICTIONARY_URL);
}
