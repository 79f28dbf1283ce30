// The app's mark (make-icons.mjs: a speech bubble holding a toggle switch, on a blue-violet
// tile), redrawn for the tray: the tile fills the icon and the bubble is larger, because a tray
// slot is only 16-24 px and every pixel of margin is lost detail.
import { type Rgba } from './raster';
import { capsule, circle, roundedBox, triangle } from './shapes';

/** Colours of one look of the mark. `null` parts are cut out (transparent). */
export interface MarkPalette {
  tileTop: Rgba | null;
  tileBottom: Rgba | null;
  bubble: Rgba;
  track: Rgba | null;
  knob: Rgba;
}

const BLACK: Rgba = [0, 0, 0, 1];
const WHITE: Rgba = [255, 255, 255, 1];

// Same as make-icons.mjs, so the tray matches the dock/taskbar icon.
export const colourPalette: MarkPalette = {
  tileTop: [54, 104, 255, 1],
  tileBottom: [112, 64, 240, 1],
  bubble: WHITE,
  track: [81, 76, 225, 1],
  knob: WHITE,
};

// Neutral greys with no hue at all: "not connected" must not look like any status colour.
export const greyPalette: MarkPalette = {
  tileTop: [150, 150, 150, 1],
  tileBottom: [118, 118, 118, 1],
  bubble: [236, 236, 236, 1],
  track: [178, 178, 178, 1],
  knob: [255, 255, 255, 1],
};

// macOS template: only alpha counts, the menu bar tints it. No tile; the switch is cut out.
export const templatePalette: MarkPalette = {
  tileTop: null,
  tileBottom: null,
  bubble: BLACK,
  track: null,
  knob: BLACK,
};

const mix = (a: Rgba, b: Rgba, t: number): Rgba => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
  a[3] + (b[3] - a[3]) * t,
];

// Edges are placed on sixteenths so that at 16 and 32 px (Windows) they fall on whole pixels.
const tileDistance = (u: number, v: number): number => roundedBox(u, v, 0.5, 0.5, 0.5, 0.5, 0.22);
const bubbleDistance = (u: number, v: number): number =>
  Math.min(
    roundedBox(u, v, 0.5, 7 / 16, 6 / 16, 4 / 16, 0.15),
    triangle(u, v, [0.25, 0.6], [0.47, 0.68], [0.2, 0.88]),
  );
const TRACK_LEFT = 6 / 16;
const TRACK_RIGHT = 10 / 16;
const trackDistance = (u: number, v: number): number => capsule(u, v, TRACK_LEFT, 7 / 16, TRACK_RIGHT, 7 / 16, 2 / 16);
const knobDistance = (u: number, v: number, on: boolean): number => circle(u, v, on ? TRACK_RIGHT : TRACK_LEFT, 7 / 16, 1.4 / 16);

/**
 * The mark at a point in unit coordinates (0..1 across the icon), or null outside it.
 * `switchOn` false moves the knob left: the brand's switch doubles as the connection state.
 */
export function paintMark(u: number, v: number, palette: MarkPalette, withTile: boolean, switchOn = true): Rgba | null {
  if (knobDistance(u, v, switchOn) < 0) return palette.knob;
  const tile = palette.tileTop && palette.tileBottom ? mix(palette.tileTop, palette.tileBottom, v) : null;
  if (trackDistance(u, v) < 0) return palette.track;
  if (bubbleDistance(u, v) < 0) return palette.bubble;
  if (withTile && tileDistance(u, v) < 0) return tile;
  return null;
}
