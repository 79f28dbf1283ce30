// One way to neutralise untrusted names and one-line texts before they are shown in a title, a
// list row, a header or a notification (renderer and main process alike). Message bodies stay
// exact (rendered as text, isolated by CSS); only their combining-mark runs are capped.
//
// Gone: bidi overrides/embeddings/isolates and marks (a name "\u202Enimda" would read "admin"),
// zero-width characters (except a ZWJ inside an emoji sequence), soft hyphens, tag characters,
// C0/C1 controls. Runs of combining marks are capped (1,999 of them draw over the header).
// Blank names become the fallback; a name that dresses up as the owner ("Admin (You)") is
// marked as a visitor's.

/** Bidi controls: ALM, LRM/RLM, LRE..RLO, LRI..PDI. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/** Zero-width and invisible formatting: ZWSP, ZWNJ, word joiner, invisible operators, BOM, Mongolian vowel separator, soft hyphen, tags. */
const INVISIBLE = /[\u00AD\u180E\u200B\u200C\u2060-\u2064\uFEFF]|[\u{E0000}-\u{E007F}]/gu;
/** A ZWJ not joining two emoji. */
const LONE_ZWJ = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
const COMBINING_RUN = /\p{M}{2,}/gu;

export const MAX_COMBINING_MARKS = 3;
export const MAX_DISPLAY_NAME_CHARS = 80;

/** Caps each run of combining marks (enough for any real script, too few to pile up). */
export function capCombiningMarks(text: string, max = MAX_COMBINING_MARKS): string {
  return text.replace(COMBINING_RUN, (run) => Array.from(run).slice(0, max).join(''));
}

/** Untrusted text for one line of display: invisible and direction-changing characters removed, whitespace collapsed. */
export function displayText(raw: string | null | undefined): string {
  if (!raw) return '';
  const cleaned = raw.normalize('NFC').replace(BIDI, '').replace(INVISIBLE, '').replace(LONE_ZWJ, '').replace(CONTROLS, '');
  return capCombiningMarks(cleaned).replace(/\s+/gu, ' ').trim();
}

export interface DisplayNameTexts {
  /** For a missing or blank name. */
  anonymous: string;
  /** Appended to a name that could pass for the owner's own label. */
  visitorTag: string;
  /** The owner's own labels in this language ("You", "Admin"), compared case-insensitively. */
  ownLabels?: readonly string[];
}

const DEFAULT_TEXTS: DisplayNameTexts = { anonymous: 'Anonymous', visitorTag: 'visitor' };
// What the console calls its owner, in every language it speaks.
const OWNER_WORDS = ['you', 'anda', 'admin', 'administrator', 'owner', 'pemilik', 'switchboard'];

const folded = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** True for a name that reads as the owner's: "You", "Admin", "Admin (You)", "ａｄｍｉｎ". */
export function impersonatesOwner(name: string, ownLabels: readonly string[] = []): boolean {
  const words = folded(name).split(' ').filter(Boolean);
  if (words.length === 0) return false;
  const owner = new Set([...OWNER_WORDS, ...ownLabels.map((l) => folded(l))]);
  return words.every((w) => owner.has(w)) || /\((?:\s*)(?:you|anda)(?:\s*)\)/iu.test(name.normalize('NFKC'));
}

/** A visitor's name as shown everywhere: neutralised, capped, never blank, never the owner's. */
export function displayName(raw: string | null | undefined, texts: DisplayNameTexts = DEFAULT_TEXTS): string {
  const text = displayText(raw);
  const chars = Array.from(text);
  const name = chars.length > MAX_DISPLAY_NAME_CHARS ? `${chars.slice(0, MAX_DISPLAY_NAME_CHARS - 1).join('').trimEnd()}…` : text;
  if (name === '') return texts.anonymous;
  return impersonatesOwner(name, texts.ownLabels) ? `${name} (${texts.visitorTag})` : name;
}
