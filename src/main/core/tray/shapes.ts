// Signed distance functions: negative inside, positive outside, in whatever unit the caller
// uses. Distances (rather than plain inside tests) let shapes grow a gap ring cheaply.
// `length` instead of Math.hypot: hypot guards against overflow we cannot hit and is several
// times slower, and these run tens of thousands of times per icon.

const length = (x: number, y: number): number => Math.sqrt(x * x + y * y);

export function circle(x: number, y: number, cx: number, cy: number, r: number): number {
  return length(x - cx, y - cy) - r;
}

/** Axis-aligned box centred on (cx, cy) with half-sizes hw, hh and corner radius r. */
export function roundedBox(x: number, y: number, cx: number, cy: number, hw: number, hh: number, r: number): number {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return length(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** A line segment from (ax, ay) to (bx, by) with round ends, `r` thick on each side. */
export function capsule(x: number, y: number, ax: number, ay: number, bx: number, by: number, r: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return length(x - ax - dx * t, y - ay - dy * t) - r;
}

export type Point = readonly [number, number];

/** Convex triangle; the value is exact inside and a lower bound outside, enough for coverage tests. */
export function triangle(x: number, y: number, a: Point, b: Point, c: Point): number {
  const orientation = Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
  const edge = (p: Point, q: Point): number => {
    const ex = q[0] - p[0];
    const ey = q[1] - p[1];
    return (((x - p[0]) * ey - (y - p[1]) * ex) / length(ex, ey)) * orientation;
  };
  return Math.max(edge(a, b), edge(b, c), edge(c, a));
}
