/**
 * The network input of the imported ONNX detectors (YuNet, SCRFD,
 * RetinaFace), chosen per photo as each family's authors run it: the photo
 * at its own size up to a cap, padded on the right and bottom to a divisor,
 * or, for a network of fixed size, fitted into it at the top left
 * (InsightFace's letterbox); then resized by sharp and written as planar
 * floats with the family's channel order, mean and scale.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { loadSharp } from '../../image/load-sharp.js';
import type { RgbImage } from '../../types.js';

/** The network input chosen for one photo. */
export interface NetworkInput {
  /** The photo resized to this (equal to the photo when it fits). */
  width: number;
  height: number;
  /** The tensor's size: the above padded to the divisor, or the network's fixed size. */
  paddedWidth: number;
  paddedHeight: number;
}

export interface InputRule {
  /** The longest side a photo is run at (never enlarged). */
  maxSide: number;
  /** Tensor sides are padded up to multiples of this. */
  divisor: number;
  /** The network's [width, height] when it runs only at one size. */
  fixedSize?: [number, number] | null;
}

/**
 * The input for a `width` x `height` photo. A fixed-size network gets the photo fitted into its
 * input, keeping its shape, the resized sides truncated to whole pixels as InsightFace's
 * `detect` does (the rest of the tensor stays black).
 */
export function networkInput(width: number, height: number, { maxSide, divisor, fixedSize }: InputRule): NetworkInput {
  if (fixedSize) {
    const [fw, fh] = fixedSize;
    // Written as InsightFace computes it, so the truncation lands on the same pixel.
    const ratio = height / width;
    const taller = ratio > fh / fw;
    const w = taller ? Math.max(1, Math.min(fw, Math.trunc(fh / ratio))) : fw;
    const h = taller ? fh : Math.max(1, Math.min(fh, Math.trunc(fw * ratio)));
    return { width: w, height: h, paddedWidth: fw, paddedHeight: fh };
  }
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const pad = (side: number) => Math.max(divisor, Math.ceil(side / divisor) * divisor);
  return { width: w, height: h, paddedWidth: pad(w), paddedHeight: pad(h) };
}

/** The network's fixed input [width, height] from the session, or null when height and width are free. */
export function sessionFixedSize(session: InferenceSession): [number, number] | null {
  const meta = session.inputMetadata[0];
  if (!meta?.isTensor) return null;
  const [, , h, w] = meta.shape;
  return typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0 ? [w, h] : null;
}

/** The photo at the input's (unpadded) size: itself when it fits, else resized (bilinear, sharp). */
export async function inputPixels(image: RgbImage, input: NetworkInput): Promise<RgbImage> {
  if (input.width === image.width && input.height === image.height) return image;
  const sharp = await loadSharp();
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(input.width, input.height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: input.width, height: input.height };
}

/** How a family wants its pixels: plane order, and (value - mean) * scale per channel. */
export interface PixelFormat {
  channels: 'rgb' | 'bgr';
  /** Per channel in the order of `channels`. */
  mean: readonly [number, number, number];
  scale: number;
}

/**
 * Pixels of the input's size as an NCHW float tensor of the padded size; the padding is black
 * pixels in the same format (as the authors' zero-filled images give after normalisation).
 *
 * @example
 *   const blob = planarBlob(pixels, input, { channels: 'rgb', mean: [127.5, 127.5, 127.5], scale: 1 / 128 });
 */
export function planarBlob(pixels: RgbImage, input: NetworkInput, format: PixelFormat): Float32Array {
  const { width, height, paddedWidth, paddedHeight } = input;
  if (pixels.width !== width || pixels.height !== height) throw new RangeError(`Expected ${width}x${height} pixels but received ${pixels.width}x${pixels.height}`);
  const data = pixels.data;
  const plane = paddedWidth * paddedHeight;
  const blob = new Float32Array(3 * plane);
  const { mean, scale } = format;
  for (let p = 0; p < 3; p++) {
    // Plane p holds RGB channel p, or 2 - p for BGR.
    const source = format.channels === 'rgb' ? p : 2 - p;
    const m = mean[p]!;
    const out = blob.subarray(p * plane, (p + 1) * plane);
    if (width < paddedWidth || height < paddedHeight) out.fill((0 - m) * scale);
    for (let y = 0; y < height; y++) {
      let s = y * width * 3 + source;
      const end = y * paddedWidth + width;
      for (let o = y * paddedWidth; o < end; o++, s += 3) out[o] = (data[s]! - m) * scale;
    }
  }
  return blob;
}
