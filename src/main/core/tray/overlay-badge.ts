// The Windows taskbar overlay: the badge alone, which Windows draws over the app's taskbar button.
import { pillDistance, insideText, layoutBadge } from './badge';
import { type RgbaImage } from './image';
import { AMBER, AMBER_INK, RED, WHITE, assertCount, badgeLabel, type TrayState } from './layers';
import { rasterise } from './raster';

export interface OverlayBadgeOptions {
  /** 16 at 100 % display scaling, 32 at 200 %. */
  size: 16 | 32;
  count: number;
  /** 'sign-in' shows the amber "!" instead of the count; other states show the count. */
  state?: TrayState;
}

/**
 * A red disc (a pill for two or more characters) filling the image, anchored bottom-right like the
 * overlay. Each count gets the largest digits that fit: there is no mark to keep visible here.
 * Count 0 gives a fully transparent image, but the shell should rather clear the overlay.
 */
export function renderOverlayBadge({ size, count, state = 'ok' }: OverlayBadgeOptions): RgbaImage {
  if (size !== 16 && size !== 32) throw new RangeError(`overlay size must be 16 or 32, got ${String(size)}`);
  assertCount(count);
  const text = state === 'sign-in' ? '!' : badgeLabel(count);
  if (text === '') return rasterise(size, size, () => null);
  const layout = layoutBadge(text, { maxWidth: size, maxHeight: size, corner: 'bottom-right', imageWidth: size, imageHeight: size });
  const [fill, ink] = state === 'sign-in' ? [AMBER, AMBER_INK] : [RED, WHITE];
  return rasterise(size, size, (x, y) => (pillDistance(x, y, layout) < 0 ? (insideText(x, y, layout) ? ink : fill) : null));
}
