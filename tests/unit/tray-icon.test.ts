// The tray images are checked through their PNG bytes, decoded here independently of the encoder
// (own CRC, own unfiltering), so a broken encoder cannot hide a broken picture or vice versa.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  badgeLabel,
  encodePng,
  renderOverlayBadge,
  renderTemplateTrayIcon,
  renderTrayIcon,
  type RgbaImage,
  type TrayState,
} from '../../src/main/core/tray';

// Bit by bit, no table: deliberately not the encoder's algorithm.
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

interface Chunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function chunks(png: Buffer): Chunk[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    out.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: png.subarray(at + 8, at + 8 + length),
      crcOk: crc32(typeAndData) === png.readUInt32BE(at + 8 + length),
    });
    at += 12 + length;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes 8-bit RGBA, non-interlaced PNGs (all five row filters). */
function decodePng(png: Buffer): RgbaImage {
  const all = chunks(png);
  expect(all.every((c) => c.crcOk)).toBe(true);
  expect(all.map((c) => c.type)).toEqual(['IHDR', ...all.slice(1, -1).map(() => 'IDAT'), 'IEND']);
  const ihdr = all[0]!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  expect([...ihdr.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(all.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * 4;
  expect(raw.length).toBe(height * (stride + 1));
  const data = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? data[y * stride + x - 4]! : 0;
      const b = y > 0 ? data[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? data[(y - 1) * stride + x - 4]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`bad filter ${filter}`);
      data[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, data };
}

const viaPng = (image: RgbaImage): RgbaImage => decodePng(encodePng(image));
const tray = (size: number, unread: number, state: TrayState = 'ok'): RgbaImage => viaPng(renderTrayIcon({ size, unread, state }));

type Pixel = [number, number, number, number];
const pixel = (img: RgbaImage, x: number, y: number): Pixel => {
  const i = (y * img.width + x) * 4;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!, img.data[i + 3]!];
};
/** Pixels whose centres lie in the given fractions of the image. */
function region(img: RgbaImage, x0: number, x1: number, y0: number, y1: number): Pixel[] {
  const out: Pixel[] = [];
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const [u, v] = [(x + 0.5) / img.width, (y + 0.5) / img.height];
      if (u >= x0 && u < x1 && v >= y0 && v < y1) out.push(pixel(img, x, y));
    }
  }
  return out;
}
const BADGE = [0.62, 1, 0, 0.38] as const; // top-right corner, where the badge sits
const FAR_FROM_BADGE = [0, 0.45, 0.55, 1] as const; // bottom-left corner

const isRed = ([r, g, b, a]: Pixel) => a > 200 && r > 180 && g < 90 && b < 90;
const isAmber = ([r, g, b, a]: Pixel) => a > 200 && r > 200 && g > 130 && g < 210 && b < 60;
const saturation = ([r, g, b]: Pixel) => Math.max(r, g, b) - Math.min(r, g, b);
const share = (pixels: Pixel[], test: (p: Pixel) => boolean) => pixels.filter(test).length / pixels.length;

const TRAY_SIZES = [16, 22, 24, 32, 44, 48, 64];
const STATES: TrayState[] = ['ok', 'disconnected', 'sign-in'];

describe('PNG encoding', () => {
  it('writes valid chunks whose pixels decode to the image given', () => {
    const image = renderTrayIcon({ size: 22, unread: 7, state: 'ok' });
    const png = encodePng(image);
    expect(chunks(png).map((c) => [c.type, c.crcOk])).toEqual([
      ['IHDR', true],
      ['IDAT', true],
      ['IEND', true],
    ]);
    expect(decodePng(png)).toEqual({ width: 22, height: 22, data: image.data });
  });

  it('notices a corrupted byte (the CRC check can fail)', () => {
    const png = encodePng(renderTrayIcon({ size: 16, unread: 0, state: 'ok' }));
    png.writeUInt8(png.readUInt8(40) ^ 0xff, 40); // inside IDAT
    expect(chunks(png).some((c) => !c.crcOk)).toBe(true);
  });

  it('encodes non-square images and rejects data of the wrong length', () => {
    const data = new Uint8Array(3 * 2 * 4).map((_, i) => (i * 37) % 256);
    expect(viaPng({ width: 3, height: 2, data })).toEqual({ width: 3, height: 2, data });
    expect(() => encodePng({ width: 3, height: 3, data })).toThrow(RangeError);
  });
});

describe('tray icon', () => {
  it('renders every size, state and kind of count at the exact size, mostly opaque', () => {
    for (const size of TRAY_SIZES) {
      for (const state of STATES) {
        for (const unread of [0, 1, 9, 10, 99, 100, 123456]) {
          const img = tray(size, unread, state);
          expect([img.width, img.height, img.data.length]).toEqual([size, size, size * size * 4]);
          const alphas = region(img, 0, 1, 0, 1).map((p) => p[3]);
          expect(alphas.filter((a) => a === 255).length / alphas.length).toBeGreaterThan(0.6);
          // Fully transparent pixels carry no stray colour (straight alpha done right).
          expect(region(img, 0, 1, 0, 1).filter((p) => p[3] === 0 && p[0] + p[1] + p[2] > 0)).toEqual([]);
        }
      }
    }
  });

  it('has a red badge top-right only when there is something unread', () => {
    for (const size of TRAY_SIZES) {
      expect(share(region(tray(size, 0), ...BADGE), isRed), `size ${size}, no unread`).toBe(0);
      expect(share(region(tray(size, 0), 0, 1, 0, 1), isRed), `size ${size}, no unread`).toBe(0);
      for (const unread of [1, 42, 100]) {
        expect(share(region(tray(size, unread), ...BADGE), isRed), `size ${size}, ${unread} unread`).toBeGreaterThan(0.4);
      }
    }
  });

  it('leaves the mark away from the badge untouched', () => {
    for (const size of [16, 32]) {
      expect(region(tray(size, 5), ...FAR_FROM_BADGE)).toEqual(region(tray(size, 0), ...FAR_FROM_BADGE));
    }
  });

  it('draws each count differently, and everything above 99 the same ("99+")', () => {
    for (const size of TRAY_SIZES) {
      const badges = [1, 2, 10, 100].map((n) => JSON.stringify(region(tray(size, n), 0.3, 1, 0, 0.65)));
      expect(new Set(badges).size, `size ${size}`).toBe(4);
      expect(tray(size, 1000)).toEqual(tray(size, 100));
    }
    expect([0, 1, 99, 100, 5000].map(badgeLabel)).toEqual(['', '1', '99', '99+', '99+']);
  });

  it('keeps the digits on whole pixels at 16 and 32 px (no blurred pink)', () => {
    const pink = ([r, g, b, a]: Pixel) => a === 255 && r > 200 && g > 60 && g < 230 && b < 230 && Math.abs(g - b) < 40;
    for (const size of [16, 32]) {
      for (const unread of [1, 8, 42, 100]) {
        const pixels = region(tray(size, unread), 0, 1, 0, 1);
        expect(pixels.filter(pink), `size ${size}, ${unread} unread`).toEqual([]);
        const white = pixels.filter(([r, g, b, a]) => r === 255 && g === 255 && b === 255 && a === 255);
        expect(white.length, `size ${size}, ${unread} unread`).toBeGreaterThan(0);
      }
    }
  });

  it('greys the whole mark out when disconnected, keeping the count', () => {
    for (const size of TRAY_SIZES) {
      const grey = region(tray(size, 0, 'disconnected'), 0, 1, 0, 1).filter((p) => p[3] > 0);
      expect(Math.max(...grey.map(saturation)), `size ${size}`).toBeLessThanOrEqual(2);
      expect(Math.max(...region(tray(size, 0), 0, 1, 0, 1).map(saturation))).toBeGreaterThan(100);
      const withCount = tray(size, 3, 'disconnected');
      expect(share(region(withCount, ...BADGE), isRed)).toBeGreaterThan(0.4);
      const markOnly = region(withCount, ...FAR_FROM_BADGE).filter((p) => p[3] > 0);
      expect(Math.max(...markOnly.map(saturation)), `size ${size}`).toBeLessThanOrEqual(2);
      expect(withCount).not.toEqual(tray(size, 3, 'ok'));
    }
  });

  it('shows an amber "!" instead of the count when signing in is needed', () => {
    for (const size of TRAY_SIZES) {
      const img = tray(size, 0, 'sign-in');
      expect(share(region(img, ...BADGE), isAmber), `size ${size}`).toBeGreaterThan(0.4);
      expect(share(region(img, 0, 1, 0, 1), isRed)).toBe(0);
      expect(tray(size, 12, 'sign-in')).toEqual(img);
      expect(share(region(tray(size, 12, 'ok'), ...BADGE), isAmber)).toBe(0);
    }
  });

  it('refuses sizes and counts it cannot draw', () => {
    for (const size of [0, 15, 16.5, 257, Number.NaN]) {
      expect(() => renderTrayIcon({ size, unread: 1, state: 'ok' })).toThrow(RangeError);
    }
    for (const unread of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => renderTrayIcon({ size: 16, unread, state: 'ok' })).toThrow(RangeError);
    }
  });
});

describe('macOS template tray icon', () => {
  const template = (size: number, unread: number, state: TrayState) => viaPng(renderTemplateTrayIcon({ size, unread, state }));

  it('is black and alpha only, in every state', () => {
    for (const size of [16, 32]) {
      for (const state of STATES) {
        for (const unread of [0, 4]) {
          const visible = region(template(size, unread, state), 0, 1, 0, 1).filter((p) => p[3] > 0);
          expect(visible.length).toBeGreaterThan(size * size * 0.2);
          expect(visible.filter(([r, g, b]) => r + g + b > 0)).toEqual([]);
        }
      }
    }
  });

  it('marks unread with a dot, fades when disconnected and differs when signing in is needed', () => {
    for (const size of [16, 32]) {
      const plain = template(size, 0, 'ok');
      const corner = (img: RgbaImage) => share(region(img, 0.8, 1, 0, 0.2), (p) => p[3] > 128);
      expect(corner(plain)).toBe(0);
      expect(corner(template(size, 4, 'ok'))).toBeGreaterThan(0.5);
      const maxAlpha = (img: RgbaImage) => Math.max(...region(img, 0, 0.6, 0, 0.6).map((p) => p[3]));
      expect(maxAlpha(plain)).toBe(255);
      expect(maxAlpha(template(size, 0, 'disconnected'))).toBeLessThan(128);
      expect(template(size, 0, 'sign-in')).not.toEqual(template(size, 4, 'ok'));
    }
  });
});

describe('Windows overlay badge', () => {
  const overlay = (size: 16 | 32, count: number, state?: TrayState) => viaPng(renderOverlayBadge({ size, count, state }));

  it('is a red badge with white digits filling the image', () => {
    for (const size of [16, 32] as const) {
      for (const count of [1, 10, 100]) {
        const pixels = region(overlay(size, count), 0, 1, 0, 1);
        expect(share(pixels, isRed)).toBeGreaterThan(0.35);
        expect(pixels.some(([r, g, b, a]) => r === 255 && g === 255 && b === 255 && a === 255)).toBe(true);
        expect(pixel(overlay(size, count), size - 1, Math.floor(size / 2))[3]).toBeGreaterThan(100);
      }
      const counts = [1, 2, 10, 100].map((count) => JSON.stringify(overlay(size, count).data));
      expect(new Set(counts).size).toBe(4);
    }
  });

  it('is empty for no unread and amber for sign-in', () => {
    expect(region(overlay(16, 0), 0, 1, 0, 1).every((p) => p[3] === 0)).toBe(true);
    expect(share(region(overlay(32, 3, 'sign-in'), 0, 1, 0, 1), isAmber)).toBeGreaterThan(0.35);
    expect(() => renderOverlayBadge({ size: 24 as 16, count: 1 })).toThrow(RangeError);
  });
});
