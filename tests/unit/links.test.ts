import { describe, expect, it } from 'vitest';
import { safeHref, splitLinks } from '../../src/renderer/src/lib/links';
import { LONG_MESSAGE_CHARS, shortenForDisplay } from '../../src/renderer/src/lib/long-text';
import { safeExternalHref } from '../../src/shared/external-links';

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

  it('mailto keeps the address only: no subject, body, cc, bcc or attach from a visitor (issue 16, 17)', () => {
    expect(safeExternalHref('mailto:someone@example.com?subject=<b>x</b>&body=hi&bcc=spy@evil.example')).toBe('mailto:someone@example.com');
    expect(safeExternalHref('mailto:a@b.c#x')).toBe('mailto:a@b.c');
    expect(safeExternalHref('mailto:?to=spy@evil.example')).toBeNull();
    expect(safeExternalHref('mailto:a@b.c,spy@evil.example')).toBeNull();
    expect(splitLinks('write to mailto:me@example.com?cc=x@y.z now')[1]).toEqual({ kind: 'link', text: 'mailto:me@example.com?cc=x@y.z', href: 'mailto:me@example.com' });
  });

  it('refuses web links with credentials that hide the real host', () => {
    expect(safeExternalHref('https://paypal.com@evil.example/')).toBeNull();
    expect(safeExternalHref('https://example.com/a?b#c')).toBe('https://example.com/a?b#c');
  });

  it('shows the real address when the text hides soft hyphens or tag characters (issue 16, 18)', () => {
    for (const raw of ['https://pay\u00ADpal.example/', 'https://example.com/x\u{E0041}']) {
      const [link] = splitLinks(raw).filter((p) => p.kind === 'link');
      expect(link?.text).toBe(link?.kind === 'link' ? link.href : '');
      expect(link?.text).not.toBe(raw);
    }
  });
});

describe('long messages (issue 16, 15)', () => {
  it('keep their first part, never cutting a pair or a mark from its letter', () => {
    const long = 'x'.repeat(100_000);
    const cut = shortenForDisplay(long);
    expect(cut).toEqual({ text: 'x'.repeat(LONG_MESSAGE_CHARS), hidden: 100_000 - LONG_MESSAGE_CHARS, total: 100_000 });
    const emoji = shortenForDisplay('😀'.repeat(5000));
    expect(Array.from(emoji.text)).toHaveLength(LONG_MESSAGE_CHARS);
    expect(emoji.text.endsWith('😀')).toBe(true);
    const marks = shortenForDisplay(`${'a'.repeat(LONG_MESSAGE_CHARS - 1)}e\u0301\u0302${'b'.repeat(10)}`);
    expect(marks.text.endsWith('e\u0301\u0302')).toBe(true);
    expect(shortenForDisplay('short')).toEqual({ text: 'short', hidden: 0, total: 5 });
  });
});
