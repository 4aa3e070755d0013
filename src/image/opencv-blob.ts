/**
 * OpenCV's `cv2.dnn.blobFromImage(image, scale, size, mean, swapRB=False)`
 * for networks trained on OpenCV-fed pixels (the Caffe res10 detector and
 * the Levi-Hassner age and gender nets): a bilinear resize of the 8-bit
 * image with OpenCV's fixed-point arithmetic, then per-channel mean
 * subtraction into an NCHW float blob in BGR order.
 *
 * The resize reproduces `cv::resize(INTER_LINEAR)` on 8-bit images: 11-bit
 * interpolation weights, exact integer horizontal pass, and the vertical
 * pass as OpenCV's SIMD kernel computes it (each row term shifted right by
 * 4 and 16 bits before the rounding; checked byte for byte against
 * `cv2.resize` of OpenCV 4.6 on x86-64, up- and downscaling).
 */

/** Bytes of an interleaved 3-channel image, row-major. */
export interface PixelImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A whole-pixel rectangle [x1, y1) .. [x2, y2) inside an image. */
export interface PixelRect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;

/** cvRound: nearest, ties to even (as `lrint` in the default rounding mode). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const toShort = (v: number) => Math.max(-32768, Math.min(32767, roundHalfEven(v)));

/**
 * Source index and 11-bit weights per destination index along one axis.
 * OpenCV pins the weights at the borders for columns only; for rows it
 * keeps them and clamps the row index instead, which rounds differently.
 */
function axisTable(source: number, destination: number, pinBorders: boolean): { index: Int32Array; w0: Int16Array; w1: Int16Array } {
  const scale = 1 / (destination / source);
  const index = new Int32Array(destination);
  const w0 = new Int16Array(destination);
  const w1 = new Int16Array(destination);
  for (let d = 0; d < destination; d++) {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = Math.fround(f - s);
    if (pinBorders && s < 0) (f = 0), (s = 0);
    if (pinBorders && s >= source - 1) (f = 0), (s = source - 1);
    index[d] = s;
    w0[d] = toShort(Math.fround(1 - f) * COEF_SCALE);
    w1[d] = toShort(f * COEF_SCALE);
  }
  return { index, w0, w1 };
}

/** `(a * b) >> 16` on int16 lanes (SSE2 `pmulhw`). */
const mulHigh = (a: number, b: number) => (a * b) >> 16;
const saturateInt16 = (v: number) => Math.max(-32768, Math.min(32767, v));
const saturateUint8 = (v: number) => Math.max(0, Math.min(255, v));

/**
 * `rect` of `image` resized to `width` x `height` as `cv::resize(..., INTER_LINEAR)` does for 8-bit, 3-channel images.
 *
 * @example
 *   const small = resizeLinearOpenCv(photo, { x1: 0, y1: 0, x2: photo.width, y2: photo.height }, 300, 300);
 */
export function resizeLinearOpenCv(image: PixelImage, rect: PixelRect, width: number, height: number): Uint8Array {
  const srcW = rect.x2 - rect.x1;
  const srcH = rect.y2 - rect.y1;
  const cn = 3;
  const out = new Uint8Array(width * height * cn);
  if (srcW === width && srcH === height) {
    for (let y = 0; y < height; y++) out.set(image.data.subarray(((rect.y1 + y) * image.width + rect.x1) * cn, ((rect.y1 + y) * image.width + rect.x2) * cn), y * width * cn);
    return out;
  }
  const xs = axisTable(srcW, width, true);
  const ys = axisTable(srcH, height, false);
  const rowLength = width * cn;
  // Horizontal pass of one source row, cached: consecutive output rows share source rows.
  const rows = new Map<number, Int32Array>();
  const horizontal = (sy: number) => {
    let row = rows.get(sy);
    if (row) return row;
    row = new Int32Array(rowLength);
    const base = ((rect.y1 + sy) * image.width + rect.x1) * cn;
    for (let dx = 0; dx < width; dx++) {
      const sx = xs.index[dx]!;
      const next = Math.min(sx + 1, srcW - 1);
      for (let c = 0; c < cn; c++) row[dx * cn + c] = image.data[base + sx * cn + c]! * xs.w0[dx]! + image.data[base + next * cn + c]! * xs.w1[dx]!;
    }
    if (rows.size > 4) rows.clear();
    rows.set(sy, row);
    return row;
  };
  for (let dy = 0; dy < height; dy++) {
    const sy = ys.index[dy]!;
    const s0 = horizontal(Math.min(Math.max(sy, 0), srcH - 1));
    const s1 = horizontal(Math.min(Math.max(sy + 1, 0), srcH - 1));
    const b0 = ys.w0[dy]!;
    const b1 = ys.w1[dy]!;
    const o = dy * rowLength;
    for (let x = 0; x < rowLength; x++) {
      const sum = mulHigh(saturateInt16(s0[x]! >> 4), b0) + mulHigh(saturateInt16(s1[x]! >> 4), b1);
      out[o + x] = saturateUint8((sum + 2) >> 2);
    }
  }
  return out;
}

export interface BlobOptions {
  /** [width, height] of the network input. */
  size: [number, number];
  /** Subtracted per channel, in BGR order (as OpenCV's samples give it). */
  meanBgr: readonly [number, number, number];
  /** Multiplies after the mean subtraction; default 1. */
  scale?: number;
  /** Part of the image to use; default all of it. */
  rect?: PixelRect;
  /** Plane order; 'rgb' is `swapRB=True` (the mean is then given in RGB order too). Default 'bgr'. */
  channels?: 'bgr' | 'rgb';
}

/**
 * Writes one RGB image as a BGR NCHW float blob into `out` at `offset`, as
 * `cv2.dnn.blobFromImage(bgr, scale, size, mean, swapRB=False)` makes it
 * (RGB planes with `channels: 'rgb'`, as `swapRB=True`).
 *
 * @example
 *   const blob = new Float32Array(3 * 300 * 300);
 *   writeOpenCvBlob(rgbPhoto, { size: [300, 300], meanBgr: [104, 177, 123] }, blob, 0);
 */
export function writeOpenCvBlob(image: PixelImage, options: BlobOptions, out: Float32Array, offset: number): void {
  const [width, height] = options.size;
  const rect = options.rect ?? { x1: 0, y1: 0, x2: image.width, y2: image.height };
  if (rect.x1 < 0 || rect.y1 < 0 || rect.x2 > image.width || rect.y2 > image.height || rect.x2 <= rect.x1 || rect.y2 <= rect.y1) {
    throw new RangeError(`Expected a non-empty rectangle inside the ${image.width}x${image.height} image but received ${JSON.stringify(rect)}`);
  }
  const pixels = resizeLinearOpenCv(image, rect, width, height);
  const plane = width * height;
  const scale = options.scale ?? 1;
  const rgb = options.channels === 'rgb';
  for (let c = 0; c < 3; c++) {
    // Plane c is BGR channel c, i.e. RGB channel 2 - c (or RGB channel c when swapped).
    const mean = Math.fround(options.meanBgr[c]!);
    const source = rgb ? c : 2 - c;
    const base = offset + c * plane;
    for (let i = 0; i < plane; i++) {
      const centred = Math.fround(pixels[i * 3 + source]! - mean);
      out[base + i] = scale === 1 ? centred : Math.fround(centred * scale);
    }
  }
}
