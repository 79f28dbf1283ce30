// Badge geometry: a circle (one character) or a pill (more), holding its text on whole pixels.
// The bitmap face and its whole-number scale are picked per badge: the largest that fits.
import { font3x5, font5x7, layoutText, type FontPixel, type PixelFont } from './font';
import { roundedBox } from './shapes';

export interface BadgeLayout {
  /** The pill: centre and half-sizes in pixels; corner radius is `halfHeight`. */
  cx: number;
  cy: number;
  halfWidth: number;
  halfHeight: number;
  /** Lit text squares, each `scale` pixels wide, top-left corners on whole pixels. */
  textPixels: FontPixel[];
  scale: number;
}

export interface BadgeBox {
  /** The badge may use at most this many pixels each way. */
  maxWidth: number;
  maxHeight: number;
  /** Which corner of the image the badge sits in (the badge touches both of its edges). */
  corner: 'top-right' | 'bottom-right';
  imageWidth: number;
  imageHeight: number;
}

interface Face {
  font: PixelFont;
  scale: number;
}

// Largest first; among equal heights the bold 3x5 wins because it reads better on red.
const FACES: Face[] = [1, 2, 3, 4, 5, 6, 7, 8]
  .flatMap((scale) => [font3x5, font5x7].map((font) => ({ font, scale })))
  .sort((a, b) => b.font.height * b.scale - a.font.height * a.scale || a.font.height - b.font.height);

/** Space kept between the text and the badge edge, in pixels, so the digits never touch the rim. */
const rimClearance = (scale: number): number => 0.5 + 0.4 * scale;

export function pillDistance(x: number, y: number, b: Pick<BadgeLayout, 'cx' | 'cy' | 'halfWidth' | 'halfHeight'>): number {
  return roundedBox(x, y, b.cx, b.cy, b.halfWidth, b.halfHeight, b.halfHeight);
}

function tryFace(text: string, face: Face, box: BadgeBox): BadgeLayout | null {
  const { font, scale } = face;
  const { width: textUnits, pixels } = layoutText(font, text);
  const textWidth = textUnits * scale;
  const textHeight = font.height * scale;
  const padY = Math.max(1, Math.ceil(textHeight * 0.2));
  // Same parity as the text, so the text sits on whole pixels with equal margins.
  let height = Math.floor(box.maxHeight);
  if ((height - textHeight) % 2 !== 0) height -= 1;
  if (height < textHeight + 2 * padY) return null;
  const clearance = rimClearance(scale);
  for (let width = Math.max(height, textWidth + 2); width <= box.maxWidth; width++) {
    if ((width - textWidth) % 2 !== 0) continue;
    const left = box.imageWidth - width;
    const top = box.corner === 'top-right' ? 0 : box.imageHeight - height;
    const pill = { cx: left + width / 2, cy: top + height / 2, halfWidth: width / 2, halfHeight: height / 2 };
    const textLeft = left + (width - textWidth) / 2;
    const textTop = top + (height - textHeight) / 2;
    const placed = pixels.map((p) => ({ x: textLeft + p.x * scale, y: textTop + p.y * scale }));
    const fits = placed.every((p) =>
      [
        [p.x, p.y],
        [p.x + scale, p.y],
        [p.x, p.y + scale],
        [p.x + scale, p.y + scale],
      ].every(([x, y]) => pillDistance(x ?? 0, y ?? 0, pill) <= -clearance),
    );
    if (fits) return { ...pill, textPixels: placed, scale };
  }
  return null;
}

/**
 * Lays out `text` in the largest face in which both it and `sizingText` fit. Sizing by a fixed
 * text (say "88") keeps the digits the same size whatever the count, so only the width changes.
 */
export function layoutBadge(text: string, box: BadgeBox, sizingText = text): BadgeLayout {
  for (const face of FACES) {
    if (sizingText !== text && !tryFace(sizingText, face, box)) continue;
    const layout = tryFace(text, face, box);
    if (layout) return layout;
  }
  throw new RangeError(`badge text ${JSON.stringify(text)} does not fit in ${box.maxWidth}x${box.maxHeight} px`);
}

export function insideText(x: number, y: number, layout: BadgeLayout): boolean {
  const s = layout.scale;
  // Text sits inside the pill, so most samples are rejected by the cheaper distance test first.
  if (pillDistance(x, y, layout) > -rimClearance(s)) return false;
  return layout.textPixels.some((p) => x >= p.x && x < p.x + s && y >= p.y && y < p.y + s);
}
