// Draws Switchboard's icons (a speech bubble holding a toggle switch) and writes them as PNGs
// into resources/. No image libraries: shapes are signed-distance functions, supersampled for
// anti-aliasing, encoded with node:zlib. Deterministic: the same script gives the same bytes.
//   node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'resources');

// ---- PNG encoding -------------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
/** rgba: Uint8Array of size*size*4, straight (non-premultiplied) alpha. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes (unit square, y down; negative distance = inside) -------------------------------
const roundedBox = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
/** Inside test for a triangle, as a distance-like value (negative inside). */
const triangle = (x, y, [ax, ay], [bx, by], [cx, cy]) => {
  const edge = (px, py, qx, qy) => {
    const ex = qx - px;
    const ey = qy - py;
    const len = Math.hypot(ex, ey);
    return ((x - px) * ey - (y - py) * ex) / len;
  };
  const d = [edge(ax, ay, bx, by), edge(bx, by, cx, cy), edge(cx, cy, ax, ay)];
  const orientation = Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  return Math.max(...d.map((v) => v * orientation));
};

const TILE = (x, y) => roundedBox(x, y, 0.5, 0.5, 0.44, 0.44, 0.2);
const BUBBLE = (x, y) =>
  Math.min(roundedBox(x, y, 0.5, 0.45, 0.31, 0.22, 0.13), triangle(x, y, [0.3, 0.55], [0.47, 0.62], [0.26, 0.8]));
const TRACK = (x, y) => roundedBox(x, y, 0.5, 0.45, 0.17, 0.08, 0.08);
const KNOB = (x, y) => circle(x, y, 0.59, 0.45, 0.058);

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const TOP = [54, 104, 255];
const BOTTOM = [112, 64, 240];
const WHITE = [255, 255, 255];

/** The full-colour app icon: colour for a sample point, or null for transparent. */
function appIcon(x, y) {
  if (KNOB(x, y) < 0) return WHITE;
  const background = mix(TOP, BOTTOM, y);
  if (TRACK(x, y) < 0) return mix(background, [0, 0, 0], 0.1);
  if (BUBBLE(x, y) < 0) return WHITE;
  if (TILE(x, y) < 0) return background;
  return null;
}

/** macOS template tray icon: black bubble, switch cut out; the OS tints it. */
function trayTemplate(x, y) {
  const s = (v) => 0.5 + (v - 0.5) * 0.68; // zoom in: the bubble fills a tiny tray icon
  const [sx, sy] = [s(x), s(y) + 0.02];
  if (KNOB(sx, sy) < 0) return [0, 0, 0];
  if (TRACK(sx, sy) < 0) return null;
  if (BUBBLE(sx, sy) < 0) return [0, 0, 0];
  return null;
}

function render(size, shade, samples = 6) {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const i = (py * size + px) * 4;
      if (covered > 0) {
        rgba[i] = Math.round(r / covered);
        rgba[i + 1] = Math.round(g / covered);
        rgba[i + 2] = Math.round(b / covered);
        rgba[i + 3] = Math.round((255 * covered) / (samples * samples));
      }
    }
  }
  return encodePng(size, rgba);
}

const files = [
  ['icon.png', 512, appIcon],
  ...[16, 32, 48, 64, 128, 256, 512].map((n) => [`icons/${n}x${n}.png`, n, appIcon]),
  ['tray.png', 32, appIcon],
  ['trayTemplate.png', 16, trayTemplate],
  ['trayTemplate@2x.png', 32, trayTemplate],
];
for (const [name, size, shade] of files) {
  const file = join(out, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, render(size, shade));
  console.log(`wrote ${relative(root, file)} (${size}x${size})`);
}
