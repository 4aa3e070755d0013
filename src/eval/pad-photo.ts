/**
 * Adds a black border around a photo before analysis. Tight face crops
 * (UTKFace: the face fills the frame) are what a close selfie looks like,
 * and detectors tuned for scenes miss them; the border gives the detector
 * the context it was trained with. Boxes found in the padded photo are
 * shifted back by `offset`.
 */
import { loadSharp } from '../image/load-sharp.js';

export interface PaddedPhoto {
  bytes: Buffer;
  /** Pixels added on the left and on the top. */
  offset: { x: number; y: number };
}

/**
 * Pads by `fraction` of the photo's longer side on every side (PNG without compression: lossless and quick).
 *
 * @example
 *   const { bytes, offset } = await padPhoto('face.jpg', 0.25); // a 200x200 crop becomes 300x300, offset 50
 */
export async function padPhoto(input: string | Buffer, fraction: number): Promise<PaddedPhoto> {
  const sharp = await loadSharp();
  const image = sharp(input).rotate();
  const { width = 0, height = 0 } = await image.metadata();
  const border = Math.round(Math.max(width, height) * fraction);
  const bytes = await image
    .extend({ top: border, bottom: border, left: border, right: border, background: { r: 0, g: 0, b: 0 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return { bytes, offset: { x: border, y: border } };
}
