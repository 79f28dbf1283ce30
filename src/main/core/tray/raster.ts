// Turns a per-point colour function into pixels. Each pixel averages a grid of samples
// (premultiplied, so transparent samples do not darken edges): anti-aliasing without any
// geometry for coverage. Shapes aligned to whole pixels still come out perfectly crisp.
import { type RgbaImage } from './image';

/** Straight-alpha colour: r, g, b in 0–255, a in 0–1. */
export type Rgba = readonly [number, number, number, number];

/** Colour at a point in pixel units (0..width, 0..height, y down), or null for transparent. */
export type Paint = (x: number, y: number) => Rgba | null;

/**
 * 8x8 samples per pixel for small icons, where edges matter most; fewer for large ones, whose
 * edges are a smaller share of the pixels and would otherwise cost ~50 ms at 64 px.
 */
export const samplesFor = (size: number): number => Math.max(4, Math.min(8, Math.round(256 / size)));

export function rasterise(width: number, height: number, paint: Paint, samples = samplesFor(Math.max(width, height))): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  const perPixel = samples * samples;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = paint(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
          if (!colour) continue;
          r += colour[0] * colour[3];
          g += colour[1] * colour[3];
          b += colour[2] * colour[3];
          a += colour[3];
        }
      }
      if (a === 0) continue;
      const i = (py * width + px) * 4;
      data[i] = Math.round(r / a);
      data[i + 1] = Math.round(g / a);
      data[i + 2] = Math.round(b / a);
      data[i + 3] = Math.round((255 * a) / perPixel);
    }
  }
  return { width, height, data };
}
