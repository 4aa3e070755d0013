/**
 * Prepares a photo for the SSD model exactly as face-api's
 * `toBatchTensor(512, false)` does: the image is padded with black on the
 * right or bottom to a square and resized bilinearly to 512x512. It runs
 * in the analysis worker, so doing it in JavaScript blocks no one, and it
 * keeps full photos bit-identical to face-api's input.
 */
import { writeSquareCrop } from '../../image/crop.js';
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
 * Pads `image` to a square (black, right or bottom), scales it to `side` and returns it as floats
 * (written into `data` when given, which must hold side * side * 3 values).
 *
 * @example
 *   const input = toSquareInput(image, 512);
 *   const xInPhoto = boxX1 * input.toPixelsX;
 */
export function toSquareInput(image: RgbImage, side: number, data = new Float32Array(side * side * 3)): SquareInput {
  const layout = writeSquareCrop(image, { x: 0, y: 0, width: image.width, height: image.height }, side, data, 0, false);
  return { data, toPixelsX: layout.side, toPixelsY: layout.side };
}
