// How an event message (an agent's step, tool call, tool result…) reads as a timeline row. The
// payload is untrusted data from the backend: it is only ever turned into plain text here, with
// a cap on its size and depth, so a huge or deeply nested one cannot stall the page.
import type { Message } from '../../../shared/domain';

/** The collapsed row's one line. */
export const LABEL_CHARS = 160;
/** An expanded row's text and payload, each. */
export const DETAIL_CHARS = 20_000;
/** Deeper levels of a payload show as "…". */
export const MAX_DEPTH = 12;

export interface EventView {
  /** One line: "Step 3 of 20", "Using browser_use…", "web_search result: …". */
  label: string;
  /** The whole text of the event, when the label is only its start. */
  text: string | null;
  error: boolean;
  /** A step marker ("Step 3 of 20"): drawn as a divider rather than a tool row. */
  step: boolean;
  /** The backend's payload, when there is one worth showing. */
  data: unknown;
  /** The backend's payload was too large to keep whole. */
  truncated: boolean;
}

const record = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** First line of a text, whitespace collapsed, cut at `max` characters (never inside a surrogate pair). */
export function oneLine(text: string, max = LABEL_CHARS): string {
  const flat = text.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(flat.charAt(cut - 1))) cut--;
  return `${flat.slice(0, cut)}…`;
}

export function eventView(m: Pick<Message, 'content' | 'payload'>): EventView {
  const p = record(m.payload);
  // Connectors put the event's own fields beside `data` (see the openmanus connector's
  // OpenManusEventPayload); any other payload is shown whole.
  const structured = p !== null && 'data' in p;
  const data = structured ? p.data : m.payload;
  const label = oneLine(m.content) || String(p?.event ?? '…');
  const flat = m.content.replace(/\s+/g, ' ').trim();
  return {
    label,
    text: flat.length > label.length || m.content.includes('\n') ? m.content : null,
    error: p?.error === true || p?.run === 'failed' || p?.run === 'stuck',
    step: p?.event === 'agent.step',
    data: data === undefined ? null : data,
    truncated: p?.truncated === true,
  };
}

/**
 * A value as indented JSON-like text, at most `maxChars` long and `maxDepth` deep. Written by
 * hand so it stops as soon as the cap is reached (JSON.stringify of a 250 KB payload, then
 * slicing, would still build the whole string) and so cycles or odd values cannot throw.
 */
export function previewJson(value: unknown, maxChars = DETAIL_CHARS, maxDepth = MAX_DEPTH): { text: string; clipped: boolean } {
  const out: string[] = [];
  let size = 0;
  let clipped = false;
  let depthCut = false;
  const seen = new Set<object>();
  const put = (s: string): boolean => {
    if (clipped) return false;
    if (size + s.length > maxChars) {
      out.push(s.slice(0, Math.max(0, maxChars - size)));
      size = maxChars;
      clipped = true;
      return false;
    }
    out.push(s);
    size += s.length;
    return true;
  };
  const write = (v: unknown, depth: number, indent: string): void => {
    if (clipped) return;
    if (v === null || v === undefined) return void put('null');
    if (typeof v === 'string') return void put(JSON.stringify(v.length > maxChars ? v.slice(0, maxChars) : v));
    if (typeof v === 'number' || typeof v === 'boolean') return void put(String(v));
    if (typeof v !== 'object') return void put(JSON.stringify(String(v)));
    if (seen.has(v)) return void put('"[cycle]"');
    const entries: [string | null, unknown][] = Array.isArray(v) ? v.map((x) => [null, x]) : Object.entries(v as Record<string, unknown>);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return void put(open + close);
    if (depth >= maxDepth) {
      // Cut here, so the row says it shows only part of the data (as for a size cut).
      put(`${open}…${close}`);
      depthCut = true;
      return;
    }
    seen.add(v);
    const inner = `${indent}  `;
    put(`${open}\n`);
    entries.forEach(([key, x], i) => {
      if (clipped) return;
      put(inner + (key === null ? '' : `${JSON.stringify(key)}: `));
      write(x, depth + 1, inner);
      put(i < entries.length - 1 ? ',\n' : '\n');
    });
    put(indent + close);
    seen.delete(v);
  };
  write(value, 0, '');
  return { text: out.join(''), clipped: clipped || depthCut };
}
