/** A raster image: `data` holds width*height RGBA pixels, row by row, straight (not premultiplied) alpha. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function assertRgbaImage(image: RgbaImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  if (data.length !== width * height * 4) {
    throw new RangeError(`image data has ${data.length} bytes, expected ${width * height * 4} for ${width}x${height} RGBA`);
  }
}
