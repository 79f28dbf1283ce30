// Of all the permissions a page can ask Electron for, the app needs one: notifications, for its
// own page. Kept free of Electron imports so the rule is unit-tested with plain strings.
export function permissionAllowed(permission: string, requestingUrl: string, isAppUrl: (url: string) => boolean): boolean {
  return permission === 'notifications' && isAppUrl(requestingUrl);
}
