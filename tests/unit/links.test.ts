import { describe, expect, it } from 'vitest';
import { safeHref, splitLinks } from '../../src/renderer/src/lib/links';

describe('links in untrusted text', () => {
  it('links only http(s) and mailto', () => {
    expect(splitLinks('see https://example.com/a, or mail mailto:a@b.c.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a', href: 'https://example.com/a' },
      { kind: 'text', text: ', or mail ' },
      { kind: 'link', text: 'mailto:a@b.c', href: 'mailto:a@b.c' },
      { kind: 'text', text: '.' },
    ]);
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd']) {
      expect(splitLinks(bad)).toEqual([{ kind: 'text', text: bad }]);
      expect(safeHref(bad)).toBeNull();
    }
  });

  it('shows the real address when the text hides direction or invisible characters', () => {
    const [link] = splitLinks('https://example.com/\u202Egnp.exe').filter((p) => p.kind === 'link');
    expect(link).toEqual({ kind: 'link', text: 'https://example.com/%E2%80%AEgnp.exe', href: 'https://example.com/%E2%80%AEgnp.exe' });
  });
});
