// Window position and size remembered across launches (electron-store), and only restored
// when they still fit a connected display: a window saved on an unplugged monitor must not
// open off-screen.
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 500;
const DEFAULT = { width: 1280, height: 800 };

function isRect(value: unknown): value is Rect {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]));
}

export function parseWindowState(value: unknown): WindowState | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (!isRect(v.bounds)) return null;
  return { bounds: v.bounds, maximized: v.maximized === true };
}

/** How much of a's area lies inside b. */
function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The bounds to open with: the saved ones if at least a good part of the window (its title
 * bar area, in practice) is on some display's work area, shrunk to fit it; else the default
 * size, placed by the OS.
 */
export function restoreBounds(saved: WindowState | null, workAreas: Rect[]): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  if (!saved) return { bounds: { ...DEFAULT }, maximized: false };
  const b = saved.bounds;
  const area = workAreas.map((w) => ({ w, o: overlap(b, w) })).sort((p, q) => q.o - p.o)[0];
  const visibleEnough = area && area.o >= Math.min(b.width * b.height, 200 * 100);
  if (!area || !visibleEnough) return { bounds: { ...DEFAULT }, maximized: saved.maximized };
  const w = area.w;
  const width = Math.max(MIN_WIDTH, Math.min(b.width, w.width));
  const height = Math.max(MIN_HEIGHT, Math.min(b.height, w.height));
  const x = Math.min(Math.max(b.x, w.x), w.x + w.width - width);
  const y = Math.min(Math.max(b.y, w.y), w.y + w.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized };
}
