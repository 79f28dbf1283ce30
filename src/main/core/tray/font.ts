// Two tiny bitmap fonts for badge text. Bitmaps rather than outlines because at 16 px only
// whole-pixel strokes stay legible; larger icons scale the bitmaps by whole numbers so they stay
// crisp. 3x5 is the bold face for small badges, 5x7 gives more detail where there is room.

export interface PixelFont {
  readonly name: string;
  readonly height: number;
  /** Rows of '#' (lit) and '.' per character. */
  readonly glyphs: Readonly<Record<string, readonly string[]>>;
}

export const font3x5: PixelFont = {
  name: '3x5',
  height: 5,
  glyphs: {
    '0': ['###', '#.#', '#.#', '#.#', '###'],
    '1': ['.#.', '##.', '.#.', '.#.', '###'],
    '2': ['###', '..#', '###', '#..', '###'],
    '3': ['###', '..#', '.##', '..#', '###'],
    '4': ['#.#', '#.#', '###', '..#', '..#'],
    '5': ['###', '#..', '###', '..#', '###'],
    '6': ['###', '#..', '###', '#.#', '###'],
    '7': ['###', '..#', '.#.', '.#.', '.#.'],
    '8': ['###', '#.#', '###', '#.#', '###'],
    '9': ['###', '#.#', '###', '..#', '###'],
    '+': ['...', '.#.', '###', '.#.', '...'],
    '!': ['#', '#', '#', '.', '#'],
  },
};

export const font5x7: PixelFont = {
  name: '5x7',
  height: 7,
  glyphs: {
    '0': ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
    '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
    '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
    '3': ['.###.', '#...#', '....#', '..##.', '....#', '#...#', '.###.'],
    '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
    '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
    '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
    '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
    '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
    '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
    '+': ['.....', '..#..', '..#..', '#####', '..#..', '..#..', '.....'],
    '!': ['##', '##', '##', '##', '##', '..', '##'],
  },
};

/** A lit font pixel, in font units from the text's top-left corner. */
export interface FontPixel {
  x: number;
  y: number;
}

function glyph(font: PixelFont, char: string): readonly string[] {
  const rows = font.glyphs[char];
  if (!rows) throw new RangeError(`font ${font.name} has no glyph for ${JSON.stringify(char)}`);
  return rows;
}

/** Lays `text` out left to right with one blank column between characters. */
export function layoutText(font: PixelFont, text: string): { width: number; pixels: FontPixel[] } {
  const pixels: FontPixel[] = [];
  let x = 0;
  for (const [index, char] of [...text].entries()) {
    if (index > 0) x += 1;
    const rows = glyph(font, char);
    rows.forEach((row, y) => {
      for (let cx = 0; cx < row.length; cx++) if (row[cx] === '#') pixels.push({ x: x + cx, y });
    });
    x += rows[0]?.length ?? 0;
  }
  return { width: x, pixels };
}
