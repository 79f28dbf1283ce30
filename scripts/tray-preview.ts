// Draws the tray icon in every look (ok, disconnected, sign-in) and count, enlarged 6x, into
// one picture for the README:  npx tsx scripts/tray-preview.ts [out.png]
import { writeFileSync } from 'node:fs';
import { renderTrayIcon, encodePng, type RgbaImage } from '../src/main/core/tray';
const cases: RgbaImage[] = [];
for (const state of ['ok', 'disconnected', 'sign-in'] as const) for (const unread of [0, 3, 42, 120]) cases.push(renderTrayIcon({ size: 24, unread, state }));
const scale = 6, pad = 4, cell = 24 * scale + pad;
const W = cell * 4, H = cell * 3;
const data = new Uint8Array(W * H * 4).fill(255);
cases.forEach((img, i) => {
  const ox = (i % 4) * cell, oy = Math.floor(i / 4) * cell;
  for (let y = 0; y < img.height * scale; y++) for (let x = 0; x < img.width * scale; x++) {
    const s = ((Math.floor(y / scale) * img.width) + Math.floor(x / scale)) * 4;
    const d = ((oy + y) * W + ox + x) * 4;
    const a = img.data[s + 3]! / 255;
    for (let c = 0; c < 3; c++) data[d + c] = Math.round(img.data[s + c]! * a + 60 * (1 - a));
    data[d + 3] = 255;
  }
});
writeFileSync(process.argv[2] ?? 'docs/screenshots/tray-icons.png', encodePng({ width: W, height: H, data }));
