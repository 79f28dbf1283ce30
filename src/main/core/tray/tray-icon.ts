// The colour tray icon (Windows, Linux, browser favicon), drawn in code so the unread count and
// the connection state show at any size without shipping a picture per number.
import { type RgbaImage } from './image';
import { assertCount, assertSize, trayBadge, withBadge, withOfflineRing, type TrayState } from './layers';
import { colourPalette, greyPalette, paintMark } from './mark';
import { rasterise, type Rgba } from './raster';

export interface TrayIconOptions {
  /** Pixel size of the square image (16-256), e.g. 16 or 32 on Windows, 22 or 24 on Linux. */
  size: number;
  unread: number;
  state: TrayState;
}

const OFFLINE_RING: Rgba = [104, 104, 104, 1];

/**
 * 'ok': the mark in colour. 'disconnected': the mark in grey with its switch off and an offline
 * ring; the count stays, since messages already received are still unread. 'sign-in': an amber
 * "!" badge in place of the count.
 */
export function renderTrayIcon({ size, unread, state }: TrayIconOptions): RgbaImage {
  assertSize(size);
  assertCount(unread);
  const offline = state === 'disconnected';
  const markAt = (u: number, v: number): Rgba | null => paintMark(u, v, offline ? greyPalette : colourPalette, true, !offline);
  const mark = offline ? withOfflineRing(size, OFFLINE_RING, greyPalette.bubble, markAt) : markAt;
  const paint = withBadge(trayBadge(size, unread, state), size, (x, y) => mark(x / size, y / size));
  return rasterise(size, size, paint);
}
