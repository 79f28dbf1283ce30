// Dates and relative times through the platform's Intl, in the UI language.
const rtfCache = new Map<string, Intl.RelativeTimeFormat>();
// Date formatters are made once per use and language: toLocaleDateString builds one on every call,
// and the inbox calls it for every row older than a week (bench: mounting the inbox spent about half
// its first render there); the pane shows every row's time, and an agent run adds rows by the
// thousand (bench openmanusui: toLocale*String was a tenth of the page's script).
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(kind: 'short' | 'time' | 'day' | 'dateTime', lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${kind} ${lang}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(lang, options)));
  return format;
}

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
  return dateFormat('short', lang, { day: 'numeric', month: 'short' }).format(at);
}

/**
 * Makes the inbox's formatters for `lang` ahead of the first list. Intl loads a locale's data on
 * first use: in a fresh window that took about 25 ms inside the inbox's first render (bench: ui,
 * first mount); done while the first page is on its way, the rows draw without it.
 */
export function warmFormatters(lang: string, now = Date.now()): void {
  relativeTime(now - 60_000, now, lang);
  relativeTime(now - 30 * 86_400_000, now, lang);
}

export const timeOfDay = (at: number, lang: string) => dateFormat('time', lang, { hour: '2-digit', minute: '2-digit' }).format(at);

export const dayLabel = (at: number, lang: string) => dateFormat('day', lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at);

/** The local calendar day, as a number that sorts (yyyymmdd). */
export const dayNumber = (at: number) => {
  const d = new Date(at);
  return d.getFullYear() * 10_000 + (d.getMonth() + 1) * 100 + d.getDate();
};

export const dateTime = (at: number, lang: string) => dateFormat('dateTime', lang, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
