/**
 * Turns the SSD model's raw box encodings into boxes, as face-api's output
 * layer does: the encoding (ty, tx, th, tw) moves the anchor's centre by
 * ty/10 and tx/10 of its size and scales its height and width by
 * exp(th/5) and exp(tw/5) (the TF Object Detection API's box coder with
 * scales 10, 10, 5, 5).
 */
import type { Corners } from '../nms.js';

/** The box coder's divisors for centre y, centre x, height and width. */
export const SSD_BOX_CODER_SCALES = [10, 10, 5, 5] as const;

/**
 * Decodes anchor `index`: `encodings` and `anchors` hold 4 values per anchor
 * ([ty, tx, th, tw] and [ymin, xmin, ymax, xmax]). The box is in the
 * anchors' coordinates (0..1 of the square model input), not clamped.
 *
 * @example
 *   decodeSsdBox(new Float32Array([0, 0, 0, 0]), new Float32Array([0.1, 0.2, 0.3, 0.6]), 0);
 *   // the anchor itself: { x1: 0.2, y1: 0.1, x2: 0.6, y2: 0.3 }
 */
export function decodeSsdBox(encodings: ArrayLike<number>, anchors: ArrayLike<number>, index: number): Corners {
  const o = index * 4;
  const anchorHeight = anchors[o + 2]! - anchors[o]!;
  const anchorWidth = anchors[o + 3]! - anchors[o + 1]!;
  const anchorCy = anchors[o]! + anchorHeight / 2;
  const anchorCx = anchors[o + 1]! + anchorWidth / 2;
  const [sy, sx, sh, sw] = SSD_BOX_CODER_SCALES;
  const cy = (encodings[o]! / sy) * anchorHeight + anchorCy;
  const cx = (encodings[o + 1]! / sx) * anchorWidth + anchorCx;
  const halfHeight = (Math.exp(encodings[o + 2]! / sh) * anchorHeight) / 2;
  const halfWidth = (Math.exp(encodings[o + 3]! / sw) * anchorWidth) / 2;
  return { x1: cx - halfWidth, y1: cy - halfHeight, x2: cx + halfWidth, y2: cy + halfHeight };
}
