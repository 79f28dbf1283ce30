// Finds links in untrusted text. Only http(s) and mailto become links; everything else,
// including javascript: and look-alikes, stays plain text.
import { safeExternalHref } from '../../../shared/external-links';

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const LINK = /\b(?:https?:\/\/[^\s<>"'`]+|mailto:[^\s<>"'`]+)/giu;

export const safeHref = safeExternalHref;

/** Direction controls and invisible characters (soft hyphens, tags) that can make a link read as something else. */
const DECEPTIVE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/u;

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const raw = match[0].replace(/[.,;:!?)\]]+$/u, '');
    const start = match.index ?? 0;
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    // A link whose text hides characters shows where it really goes.
    parts.push({ kind: 'link', text: DECEPTIVE.test(raw) ? href : raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
