// What a failed call means to the owner. The core's ConsoleError codes (src/shared/errors.ts)
// map to plain sentences in every UI language; the core's own message (English, specific) is
// kept beside it as the detail.
import { isConsoleErrorCode, type ConsoleErrorCode } from '../../../shared/errors';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function errorCode(e: unknown): ConsoleErrorCode {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return isConsoleErrorCode(code) ? code : 'internal';
}

/** The plain-language sentence for the error's code, in the UI language. */
export const errorMeaning = (e: unknown, t: Translate): string => t(`errors.code.${errorCode(e)}`);

/** Whether trying the same action again can help (the backend was away, the core hiccuped). */
export const isRetryable = (e: unknown): boolean => ['unavailable', 'internal'].includes(errorCode(e));

/** For calls the owner did not ask for (typing signals, focus reports): logged, never shown. */
export function logFailure(what: string, e: unknown): void {
  console.warn(`Switchboard: ${what} failed: ${errorText(e)}`);
}
