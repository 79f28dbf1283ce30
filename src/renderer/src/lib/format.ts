// Dates and relative times through the platform's Intl, in the UI language.
const rtfCache = new Map<string, Intl.RelativeTimeFormat>();

export function relativeTime(at: number, now: number, lang: string): string {
  let rtf = rtfCache.get(lang);
  if (!rtf) {
    rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'narrow' });
    rtfCache.set(lang, rtf);
  }
  const seconds = Math.round((at - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  return new Date(at).toLocaleDateString(lang, { day: 'numeric', month: 'short' });
}

export const timeOfDay = (at: number, lang: string) => new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });

export const dayLabel = (at: number, lang: string) =>
  new Date(at).toLocaleDateString(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

export const sameDay = (a: number, b: number) => new Date(a).toDateString() === new Date(b).toDateString();

export const dateTime = (at: number, lang: string) => new Date(at).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
