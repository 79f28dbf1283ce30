// Long messages render their first part: laying out 100,000 unbroken characters under
// `overflow-wrap: anywhere` froze the page for seconds. The cut never splits a surrogate pair or
// a character from its combining marks.

export const LONG_MESSAGE_CHARS = 3000;

export interface Shortened {
  text: string;
  /** Characters (code points) left out; 0 when the text is whole. */
  hidden: number;
  total: number;
}

export function shortenForDisplay(text: string, limit = LONG_MESSAGE_CHARS): Shortened {
  // Fast path: UTF-16 length bounds the code-point count from above.
  if (text.length <= limit) return { text, hidden: 0, total: Array.from(text).length };
  const chars = Array.from(text);
  if (chars.length <= limit) return { text, hidden: 0, total: chars.length };
  let end = limit;
  while (end < chars.length && /\p{M}/u.test(chars[end]!)) end++;
  return { text: chars.slice(0, end).join(''), hidden: chars.length - end, total: chars.length };
}
