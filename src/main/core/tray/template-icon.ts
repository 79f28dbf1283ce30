// The macOS menu-bar image. macOS expects a template (black plus alpha) that it tints to match
// the menu bar, light or dark; a colour icon there looks foreign and ignores the theme.
import { type RgbaImage } from './image';
import { BLACK, CLEAR, assertCount, assertSize, dotBadge, trayBadge, withBadge, withOfflineRing } from './layers';
import { paintMark, templatePalette } from './mark';
import { rasterise, type Rgba } from './raster';
import { type TrayIconOptions } from './tray-icon';

/**
 * Black and alpha only. No digits: the shell shows the count as text with Tray.setTitle, so
 * unread is a plain dot. 'sign-in' cuts "!" out of a disc; 'disconnected' fades the mark to
 * 45 % and adds the offline ring.
 */
export function renderTemplateTrayIcon({ size, unread, state }: TrayIconOptions): RgbaImage {
  assertSize(size);
  assertCount(unread);
  const offline = state === 'disconnected';
  const markAt = (u: number, v: number): Rgba | null => {
    const c = paintMark(u, v, templatePalette, false, !offline);
    return c && offline ? [c[0], c[1], c[2], 0.45] : c;
  };
  const mark = offline ? withOfflineRing(size, BLACK, null, markAt) : markAt;
  const signIn = state === 'sign-in' ? trayBadge(size, 0, state) : null;
  const badge = signIn ? { ...signIn, fill: BLACK, ink: CLEAR } : unread > 0 ? dotBadge(size, BLACK) : null;
  return rasterise(size, size, withBadge(badge, size, (x, y) => mark(x / size, y / size)));
}
