// Issue 16, item 18: the one display-neutralising function for names and one-line texts.
import { describe, expect, it } from 'vitest';
import { capCombiningMarks, displayName, displayText, impersonatesOwner } from '../../src/shared/display-text';

describe('displayText', () => {
  it('removes bidi overrides, isolates and marks', () => {
    expect(displayText('\u202Enimda')).toBe('nimda');
    expect(displayText('a\u2066b\u2067c\u2068d\u2069e\u200Ef\u200Fg\u061Ch\u202Ai\u202Bj\u202Ck\u202Dl')).toBe('abcdefghijkl');
  });
  it('removes zero-width characters, soft hyphens and tag characters, keeping emoji joins', () => {
    expect(displayText('ad\u200Bm\u200Ci\u2060n\uFEFF')).toBe('admin');
    expect(displayText('pay\u00ADpal')).toBe('paypal');
    expect(displayText('x\u{E0041}\u{E0042}y\u{E007F}')).toBe('xy');
    expect(displayText('a\u200Db')).toBe('ab');
    expect(displayText('👩\u200D💻')).toBe('👩\u200D💻');
  });
  it('drops controls and collapses whitespace to one line', () => {
    expect(displayText(' one\n\ttwo\u0007\u001b[31m \u0085 ')).toBe('one two[31m');
  });
  it('caps runs of combining marks', () => {
    const zalgo = `Z${'\u0301'.repeat(1999)}oe\u0301`;
    // NFC folds Z + the first acute into Ź; three marks stay, then "o" and "é".
    expect(Array.from(displayText(zalgo))).toHaveLength(1 + 3 + 2);
    expect(capCombiningMarks('e\u0301')).toBe('e\u0301');
    // Real scripts keep their marks: Vietnamese stacks two, Devanagari one per consonant.
    expect(displayText('Nguyễn Việt')).toBe('Nguyễn Việt');
    expect(displayText('नमस्ते')).toBe('नमस्ते');
  });
});

describe('displayName', () => {
  it('turns blank, whitespace-only and invisible-only names into the fallback', () => {
    for (const blank of [null, undefined, '', '   ', '\u200B\u202E', '\u00AD\n\t']) expect(displayName(blank)).toBe('Anonymous');
    expect(displayName(' ', { anonymous: 'Anonim', visitorTag: 'pengunjung' })).toBe('Anonim');
  });
  it('marks names that dress up as the owner', () => {
    expect(displayName('Admin (You)')).toBe('Admin (You) (visitor)');
    expect(displayName('You')).toBe('You (visitor)');
    expect(displayName('ＡＤＭＩＮ')).toBe('ＡＤＭＩＮ (visitor)');
    expect(displayName('\u202E)uoY( nimdA')).toBe(')uoY( nimdA');
    expect(displayName('Anda', { anonymous: 'Anonim', visitorTag: 'pengunjung' })).toBe('Anda (pengunjung)');
    expect(displayName('Adm\u200Bin')).toBe('Admin (visitor)');
    expect(impersonatesOwner('Maya')).toBe(false);
    expect(impersonatesOwner('Youssef')).toBe(false);
    expect(displayName('Maya')).toBe('Maya');
  });
  it('caps long names', () => {
    expect(Array.from(displayName('x'.repeat(500)))).toHaveLength(80);
  });
});
