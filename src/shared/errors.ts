// Errors as they travel from the core to the renderer. No zod here, so the sandboxed preload and
// the renderer can use these without bundling the contract's schemas.

/**
 * 'insecure': a plain http:// site off this computer; the user must confirm before anything is sent.
 * 'cancelled': the user closed a window the action waited for (the site's sign-in page); nothing changed.
 */
export const consoleErrorCodes = ['bad-request', 'not-found', 'forbidden', 'unavailable', 'internal', 'insecure', 'cancelled'] as const;
export type ConsoleErrorCode = (typeof consoleErrorCodes)[number];

export const isConsoleErrorCode = (code: unknown): code is ConsoleErrorCode =>
  typeof code === 'string' && (consoleErrorCodes as readonly string[]).includes(code);

/** Thrown by the core for errors the user should see as is; rebuilt with its code in the renderer. */
export class ConsoleError extends Error {
  constructor(
    readonly code: ConsoleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

/**
 * What every transport's invoke resolves to. A failure is a value, not a rejection: Electron's
 * contextBridge and IPC pass a rejected Error on with its message only, so its code would be lost.
 */
export type InvokeResult<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export function isInvokeResult(value: unknown): value is InvokeResult {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const v = value as { ok: unknown; error?: unknown };
  if (v.ok === true) return 'value' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}
