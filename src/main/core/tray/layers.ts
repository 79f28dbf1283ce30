// The pieces drawn over the mark: the count or "!" badge and the offline ring. Each wraps the
// paint below it and cuts a transparent gap around itself, so it stays readable on any colour.
import { insideText, layoutBadge, pillDistance, type BadgeLayout } from './badge';
import { type Rgba } from './raster';
import { circle } from './shapes';

/** 'sign-in': some account needs its owner to sign in again; 'disconnected': no live connection. */
export type TrayState = 'ok' | 'disconnected' | 'sign-in';

export const RED: Rgba = [226, 36, 44, 1];
export const AMBER: Rgba = [255, 176, 0, 1];
export const WHITE: Rgba = [255, 255, 255, 1];
/** Dark ink for "!" on amber: white on amber is too faint to read at 16 px. */
export const AMBER_INK: Rgba = [40, 28, 0, 1];
export const BLACK: Rgba = [0, 0, 0, 1];
export const CLEAR: Rgba = [0, 0, 0, 0];

export const MIN_SIZE = 16;
export const MAX_SIZE = 256;

export function assertCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`unread count must be a non-negative integer, got ${count}`);
}

export function assertSize(size: number): void {
  if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
    throw new RangeError(`icon size must be an integer from ${MIN_SIZE} to ${MAX_SIZE}, got ${size}`);
  }
}

/** The text a count badge shows: the count up to 99, then "99+". Empty for no unread. */
export function badgeLabel(count: number): string {
  assertCount(count);
  if (count === 0) return '';
  return count > 99 ? '99+' : String(count);
}

export interface Badge {
  layout: BadgeLayout;
  fill: Rgba;
  ink: Rgba;
}

type PaintAt = (x: number, y: number) => Rgba | null;

/** The top-right badge of a tray icon: "!" when signing in is needed, else the count, else none. */
export function trayBadge(size: number, unread: number, state: TrayState): Badge | null {
  // Signing in blocks every message, so its "!" outranks the count.
  const text = state === 'sign-in' ? '!' : badgeLabel(unread);
  if (text === '') return null;
  // Two digits may take 80 % of the width and still leave the mark recognisable; only "99+"
  // may span the whole icon, in a smaller face if need be.
  const overflow = text.length > 2;
  const box = {
    maxWidth: overflow ? size : Math.floor(size * 0.8),
    maxHeight: Math.round(size * 0.6),
    corner: 'top-right',
    imageWidth: size,
    imageHeight: size,
  } as const;
  const layout = layoutBadge(text, box, overflow ? text : '88');
  return state === 'sign-in' ? { layout, fill: AMBER, ink: AMBER_INK } : { layout, fill: RED, ink: WHITE };
}

/** A plain disc in the badge's place, for images that cannot hold digits. */
export function dotBadge(size: number, fill: Rgba): Badge {
  const r = size * 0.2;
  return { layout: { cx: size - r, cy: r, halfWidth: r, halfHeight: r, textPixels: [], scale: 1 }, fill, ink: fill };
}

/** Paints `badge` (in pixel units) over `below`, with a transparent ring around it. */
export function withBadge(badge: Badge | null, size: number, below: PaintAt): PaintAt {
  const gap = Math.max(1, size / 16);
  return (x, y) => {
    if (badge) {
      const d = pillDistance(x, y, badge.layout);
      if (d < 0) return insideText(x, y, badge.layout) ? badge.ink : badge.fill;
      if (d < gap) return null;
    }
    return below(x, y);
  };
}

/** The chat-app "offline" sign (a hollow ring) in the bottom-right corner, in unit coordinates. */
export function withOfflineRing(size: number, ink: Rgba, hollow: Rgba | null, below: PaintAt): PaintAt {
  const gap = Math.max(1, size / 16) / size;
  const outer = 3 / 16;
  const stroke = Math.max(1.25, size / 12) / size;
  return (u, v) => {
    const d = circle(u, v, 1 - outer, 1 - outer, outer);
    if (d < 0) return d > -stroke ? ink : hollow;
    if (d < gap) return null;
    return below(u, v);
  };
}
