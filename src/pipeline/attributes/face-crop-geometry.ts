/**
 * Face crops for attribute networks that were trained on centred square
 * crops with a margin around the face (human's models: a square 1.4 times
 * BlazeFace's box). The crop is a square of `margin` times the detection
 * box's longer side around the box centre, optionally turned so the eyes
 * are level (alignment from the five landmarks), optionally mirrored, and a
 * sub-rectangle of it (`inner`) is resampled bilinearly to the network's
 * input. Pixels outside the photo are black, as TF's cropAndResize gives.
 */
import type { Detection, RgbImage } from '../../types.js';

/** A square region of the photo, possibly turned. */
export interface CropGeometry {
  centreX: number;
  centreY: number;
  side: number;
  /** Rotation in radians that makes the eye line horizontal (0 without alignment). */
  angle: number;
}

/** Fractions of the square kept, top/left/bottom/right (human's gear keeps [0, 0.1, 0.9, 0.9]). */
export type InnerBox = readonly [top: number, left: number, bottom: number, right: number];
export const WHOLE: InnerBox = [0, 0, 1, 1];

/**
 * The crop square of a face.
 *
 * @example
 *   faceCropGeometry({ box: { x: 10, y: 20, width: 100, height: 120 }, score: 1 }, 1.5, false);
 *   // { centreX: 60, centreY: 80, side: 180, angle: 0 }
 */
export function faceCropGeometry(face: Detection, margin: number, align: boolean): CropGeometry {
  const { x, y, width, height } = face.box;
  const geometry = { centreX: x + width / 2, centreY: y + height / 2, side: margin * Math.max(width, height), angle: 0 };
  const eyes = face.landmarks;
  if (align && eyes && eyes.length >= 2) {
    const [[lx, ly], [rx, ry]] = eyes as [[number, number], [number, number]];
    geometry.angle = Math.atan2(ry - ly, rx - lx);
  }
  return geometry;
}

/** Bilinear sample of one channel at (x, y) with black outside the photo. */
function sample(image: RgbImage, x: number, y: number, channel: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const { data, width, height } = image;
  const at = (px: number, py: number) => (px < 0 || py < 0 || px >= width || py >= height ? 0 : data[(py * width + px) * 3 + channel]!);
  const top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * fx;
  const bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * fx;
  return top + (bottom - top) * fy;
}

export interface CropWriteOptions {
  inner?: InnerBox;
  mirror?: boolean;
  /** 3: RGB; 1: grey (ITU-R 601 luma, as human's gender net expects). */
  channels?: 1 | 3;
  /** Maps a 0..255 value to the network's scale. */
  scale?: (value: number) => number;
}

/**
 * Writes the crop, `size` x `size`, into `out` at `offset` (NHWC floats).
 *
 * @example
 *   const out = new Float32Array(64 * 64 * 3);
 *   writeFaceCrop(image, faceCropGeometry(face, 1.4, true), 64, out, 0, { scale: (v) => v / 255 });
 */
export function writeFaceCrop(image: RgbImage, geometry: CropGeometry, size: number, out: Float32Array, offset: number, options: CropWriteOptions = {}): void {
  const [top, left, bottom, right] = options.inner ?? WHOLE;
  const channels = options.channels ?? 3;
  const scale = options.scale ?? ((v: number) => v);
  const cos = Math.cos(geometry.angle);
  const sin = Math.sin(geometry.angle);
  let o = offset;
  for (let row = 0; row < size; row++) {
    // Offsets from the centre in crop pixels, then turned into the photo's frame.
    const v = (top + ((row + 0.5) / size) * (bottom - top) - 0.5) * geometry.side;
    for (let col = 0; col < size; col++) {
      const c = options.mirror ? size - 1 - col : col;
      const u = (left + ((c + 0.5) / size) * (right - left) - 0.5) * geometry.side;
      const x = geometry.centreX + u * cos - v * sin - 0.5;
      const y = geometry.centreY + u * sin + v * cos - 0.5;
      if (channels === 3) {
        out[o++] = scale(sample(image, x, y, 0));
        out[o++] = scale(sample(image, x, y, 1));
        out[o++] = scale(sample(image, x, y, 2));
      } else {
        out[o++] = scale(0.2989 * sample(image, x, y, 0) + 0.587 * sample(image, x, y, 1) + 0.114 * sample(image, x, y, 2));
      }
    }
  }
}
