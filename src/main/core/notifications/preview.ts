// A message as one short line of plain text for a notification body. Message text is
// untrusted: control characters go (some notification APIs truncate at NUL or misrender
// them), and the cut never splits a surrogate pair, which would show as a broken glyph.
// Markup escaping is NOT done here: only the Linux shell needs it, and it knows how.
// Direction overrides, invisible characters and piles of combining marks go through the same
// displayText as every title and list row (src/shared/display-text.ts).
import { displayText } from '../../../shared/display-text';

export const PREVIEW_MAX_CHARS = 140;

export function previewText(content: string, max = PREVIEW_MAX_CHARS): string {
  const flat = displayText(content);
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
