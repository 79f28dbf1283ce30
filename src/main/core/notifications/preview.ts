// A message as one short line of plain text for a notification body. Message text is
// untrusted: control characters go (some notification APIs truncate at NUL or misrender
// them), and the cut never splits a surrogate pair, which would show as a broken glyph.
// Markup escaping is NOT done here: only the Linux shell needs it, and it knows how.

export const PREVIEW_MAX_CHARS = 140;

// C0/C1 controls and DEL, except the whitespace ones, which the collapse below handles.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;

export function previewText(content: string, max = PREVIEW_MAX_CHARS): string {
  const flat = content.replace(CONTROLS, '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
