// Finding a saved reply as the owner types "/…" in the composer: by title first, then by text;
// case and accents do not matter ("cafe" finds "Café").
import type { SavedReply } from '../../../shared/saved-replies';

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

export function matchSavedReplies(replies: readonly SavedReply[], query: string): SavedReply[] {
  const q = fold(query.trim());
  if (!q) return [...replies];
  const byTitle: SavedReply[] = [];
  const byText: SavedReply[] = [];
  for (const r of replies) {
    if (fold(r.title).includes(q)) byTitle.push(r);
    else if (fold(r.content).includes(q)) byText.push(r);
  }
  return [...byTitle, ...byText];
}

/** The composer's "/query" at the start of an otherwise single-line draft, or null. */
export function slashQuery(draft: string): string | null {
  const m = /^\/([^\n]*)$/.exec(draft);
  return m ? (m[1] ?? '') : null;
}
