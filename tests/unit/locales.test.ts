import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/src/locales/en.json';
import id from '../../src/renderer/src/locales/id.json';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k.replace(/_(one|other)$/, '')}`]));

describe('translations', () => {
  it('Indonesian has every English string and no stray ones', () => {
    expect([...new Set(keys(id))].sort()).toEqual([...new Set(keys(en))].sort());
  });
  it('keeps the interpolation variables of each string', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const flat = (o: object, prefix = ''): [string, string][] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? flat(v, `${prefix}${k}.`) : [[`${prefix}${k}`, String(v)] as [string, string]]));
    const idMap = new Map(flat(id));
    for (const [key, text] of flat(en)) {
      const other = idMap.get(key) ?? idMap.get(key.replace(/_one$/, '_other'));
      if (other !== undefined) expect(vars(other), key).toEqual(vars(text));
    }
  });
});
