// Search queries by kind, for the scale benchmark: what an owner types into the search dialog
// over years of history. Rare words are taken from stored messages (an order number, a SKU, a
// price, a typo, a link), so they are found; prefixes are every step of typing a word, since the
// dialog searches while typing.
import type BetterSqlite3 from 'better-sqlite3';
import { EN_WORDS, FIRST_NAMES, ID_WORDS, LAST_NAMES, PRODUCTS, Rng } from './data';

export const QUERY_KINDS = ['common word', 'rare word', 'prefix', 'visitor name', 'phrase'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface KindQuery {
  kind: QueryKind;
  query: string;
}

const COMMON_WORDS = new Set([...ID_WORDS, ...EN_WORDS, ...PRODUCTS].map((w) => w.toLowerCase()));
const PHRASES = ['terima kasih', 'tracking number', 'ongkir jakarta', 'sudah sampai', 'belum diterima', 'thank you', 'nomor resi', 'kode voucher'];

/** Tokens of stored messages that are not in the generator's word lists: the long tail. */
function rareTokens(sqlite: BetterSqlite3.Database, rng: Rng, wanted: number): string[] {
  const maxId = (sqlite.prepare('SELECT max(id) AS n FROM messages').get() as { n: number }).n;
  const content = sqlite.prepare<[number], string>('SELECT content FROM messages WHERE id >= ? ORDER BY id LIMIT 1').pluck();
  const found: string[] = [];
  for (let tries = 0; found.length < wanted && tries < wanted * 400; tries++) {
    const text = content.get(1 + rng.int(maxId)) ?? '';
    const rare = text.split(/\s+/).filter((t) => t.length >= 4 && !COMMON_WORDS.has(t.toLowerCase().replace(/[?.!]+$/, '')) && /[a-z0-9]/i.test(t));
    if (rare.length) found.push(rng.pick(rare).replace(/[?.!]+$/, ''));
  }
  return found;
}

/** `perKind` queries of each kind (prefix queries are the steps of typing `perKind` words, cut to `perKind`). */
export function queriesByKind(sqlite: BetterSqlite3.Database, seed: number, perKind: number): KindQuery[] {
  const rng = new Rng(seed);
  const out: KindQuery[] = [];
  const add = (kind: QueryKind, query: string) => out.push({ kind, query });
  for (let i = 0; i < perKind; i++) add('common word', rng.zipf(rng.chance(0.6) ? ID_WORDS : EN_WORDS, 3));
  for (const token of rareTokens(sqlite, rng, perKind)) add('rare word', token);
  const prefixes: string[] = [];
  while (prefixes.length < perKind) {
    const word = rng.zipf(rng.chance(0.5) ? ID_WORDS : EN_WORDS, 1.3);
    for (let n = 1; n <= word.length; n++) prefixes.push(word.slice(0, n));
  }
  for (const p of prefixes.slice(0, perKind)) add('prefix', p);
  for (let i = 0; i < perKind; i++) add('visitor name', rng.chance(0.5) ? rng.pick(FIRST_NAMES) : `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`);
  for (let i = 0; i < perKind; i++) add('phrase', rng.chance(0.5) ? rng.pick(PHRASES) : `${rng.zipf(ID_WORDS, 1.5)} ${rng.zipf(ID_WORDS, 1.5)}`);
  // Interleaved, as a session of searches would be, so no kind runs with the cache another warmed.
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
