/**
 * OpenCV's `cv2.warpAffine(image, M, (width, height))` with its defaults
 * (INTER_LINEAR, BORDER_CONSTANT with black) on 8-bit, 3-channel images, as
 * OpenCV 4.6 computes it without IPP: M (photo to crop) is inverted in
 * doubles; each crop pixel's source position is stepped in 1/1024 pixel
 * fixed point and rounded to 1/32 pixel; the four neighbours are blended
 * with 15-bit integer weights, those outside the photo counting as black.
 * InsightFace crops faces for its attribute networks this way, so models
 * trained on its crops see the same bytes here (checked against
 * `cv2.warpAffine` in test/unit/image/opencv-warp.test.ts).
 */
import { roundHalfEven, type PixelImage } from './opencv-blob.js';

/** A 2x3 affine map, row-major: x' = m[0] x + m[1] y + m[2], y' = m[3] x + m[4] y + m[5]. */
export type Affine = readonly [number, number, number, number, number, number];

const INTER_BITS = 5;
const TAB_SIZE = 1 << INTER_BITS;
const AB_BITS = 10;
const AB_SCALE = 1 << AB_BITS;
/** Half a 1/32 step, in 1/1024 units: the fixed-point positions round to the nearest 1/32. */
const ROUND_DELTA = AB_SCALE / TAB_SIZE / 2;
const COEF_BITS = 15;

/**
 * The inverse map, computed as `cv::warpAffine` inverts its matrix (so the rounding matches).
 *
 * @example
 *   invertAffine([2, 0, 10, 0, 2, 20]); // [0.5, -0, -5, -0, 0.5, -10]
 */
export function invertAffine(m: Affine): Affine {
  let d = m[0] * m[4] - m[1] * m[3];
  d = d !== 0 ? 1 / d : 0;
  const a11 = m[4] * d;
  const a22 = m[0] * d;
  const a12 = m[1] * -d;
  const a21 = m[3] * -d;
  const b1 = -a11 * m[2] - a12 * m[5];
  const b2 = -a21 * m[2] - a22 * m[5];
  return [a11, a12, b1, a21, a22, b2];
}

/**
 * `image` warped by `m` (photo pixels to output pixels) into a `width` x `height` RGB image.
 *
 * @example
 *   const crop = warpAffineOpenCv(photo, [0.5, 0, -20, 0, 0.5, -10], 96, 96);
 */
export function warpAffineOpenCv(image: PixelImage, m: Affine, width: number, height: number): Uint8Array {
  const inv = invertAffine(m);
  const out = new Uint8Array(width * height * 3);
  const adelta = new Int32Array(width);
  const bdelta = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    adelta[x] = roundHalfEven(inv[0] * x * AB_SCALE);
    bdelta[x] = roundHalfEven(inv[3] * x * AB_SCALE);
  }
  const { data, width: srcW, height: srcH } = image;
  const tap = (sx: number, sy: number, c: number) => (sx >= 0 && sy >= 0 && sx < srcW && sy < srcH ? data[(sy * srcW + sx) * 3 + c]! : 0);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const x0 = roundHalfEven((inv[1] * y + inv[2]) * AB_SCALE) + ROUND_DELTA;
    const y0 = roundHalfEven((inv[4] * y + inv[5]) * AB_SCALE) + ROUND_DELTA;
    for (let x = 0; x < width; x++) {
      const X = (x0 + adelta[x]!) >> (AB_BITS - INTER_BITS);
      const Y = (y0 + bdelta[x]!) >> (AB_BITS - INTER_BITS);
      const sx = X >> INTER_BITS;
      const sy = Y >> INTER_BITS;
      const fx = X & (TAB_SIZE - 1);
      const fy = Y & (TAB_SIZE - 1);
      // OpenCV's bilinear table: products of (1 - f/32, f/32) scaled by 2^15, exact integers here.
      const w00 = (TAB_SIZE - fy) * (TAB_SIZE - fx) * 32;
      const w01 = (TAB_SIZE - fy) * fx * 32;
      const w10 = fy * (TAB_SIZE - fx) * 32;
      const w11 = fy * fx * 32;
      for (let c = 0; c < 3; c++) {
        const sum = tap(sx, sy, c) * w00 + tap(sx + 1, sy, c) * w01 + tap(sx, sy + 1, c) * w10 + tap(sx + 1, sy + 1, c) * w11;
        out[o++] = Math.min(255, (sum + (1 << (COEF_BITS - 1))) >> COEF_BITS);
      }
    }
  }
  return out;
}
