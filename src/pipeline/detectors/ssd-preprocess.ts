/**
 * Prepares a photo for the SSD model as face-api's `toBatchTensor(512, false)`
 * does: the image is padded with black on the right or bottom to a square
 * and scaled to 512x512. sharp does the resize (antialiased, off the JS
 * thread) before the padding, which is the same picture up to resampling.
 */
import sharp from 'sharp';
import type { RgbImage } from '../../types.js';

/** A model-ready NHWC float32 image and how to map its 0..1 coordinates back to the photo's pixels. */
export interface SquareInput {
  /** side * side * 3 RGB values, 0..255. */
  data: Float32Array;
  /** Multiply a 0..1 x of the square input by this to get a photo x in pixels. */
  toPixelsX: number;
  /** Multiply a 0..1 y of the square input by this to get a photo y in pixels. */
  toPixelsY: number;
}

/**
 * Scales `image` so its longer side is `side`, pads the rest with black
 * (right or bottom) and returns it as floats.
 *
 * @example
 *   const input = await toSquareInput(image, 512);
 *   const xInPhoto = boxX1 * input.toPixelsX;
 */
export async function toSquareInput(image: RgbImage, side: number): Promise<SquareInput> {
  const { width, height } = image;
  const longer = Math.max(width, height);
  const scaledWidth = Math.max(1, Math.round((width * side) / longer));
  const scaledHeight = Math.max(1, Math.round((height * side) / longer));
  let pixels: Uint8Array = image.data;
  if (width !== side || height !== side) {
    pixels = await sharp(image.data, { raw: { width, height, channels: 3 } })
      .resize(scaledWidth, scaledHeight, { fit: 'fill' })
      .extend({ right: side - scaledWidth, bottom: side - scaledHeight, background: { r: 0, g: 0, b: 0 } })
      .raw()
      .toBuffer();
  }
  const data = new Float32Array(side * side * 3);
  for (let i = 0; i < data.length; i++) data[i] = pixels[i]!;
  // Map through the scaled content, not the padded square, so rounding the scaled size costs nothing.
  return { data, toPixelsX: (side * width) / scaledWidth, toPixelsY: (side * height) / scaledHeight };
}
