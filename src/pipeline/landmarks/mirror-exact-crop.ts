/**
 * A face's square crop placed by its own 68 points, sampled so that the
 * crop of a mirrored photo is exactly this crop mirrored: the refined
 * landmark pass (landmarks-68-faceapi.ts `refine68`) reads these crops.
 *
 * face-api's crop (src/image/crop.ts) is not mirror-exact, by design (it
 * reproduces face-api's bytes): the detector's box is floored to whole
 * pixels, and TF's legacy resize samples from the region's left edge. Here
 * the square is centred on the points' extent, and each crop pixel is a
 * bilinear sample at its centre, in coordinates with pixel centres on whole
 * numbers, the convention of the landmark points: mirroring the photo
 * (x -> width - 1 - x) mirrors the points, the square and the samples alike.
 */
import type { Point, RgbImage } from '../../types.js';

/** A square of the photo: its centre (pixel-centre coordinates) and side, in photo pixels. */
export interface CropSquare {
  cx: number;
  cy: number;
  side: number;
}

/**
 * The square around 68 points (or any): centred on the middle of their extent, `margin` times its
 * longer side. 1.4 holds the brows and chin with room to spare, as the detector's boxes do.
 *
 * @example squareAround([[10, 20], [50, 100]], 1.5) // { cx: 30, cy: 60, side: 120 }
 */
export function squareAround(points: readonly Point[], margin: number): CropSquare {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    x1 = Math.min(x1, x);
    x2 = Math.max(x2, x);
    y1 = Math.min(y1, y);
    y2 = Math.max(y2, y);
  }
  return { cx: (x1 + x2) / 2, cy: (y1 + y2) / 2, side: Math.max(x2 - x1, y2 - y1) * margin };
}

/**
 * Writes `square` of `image` resized to `size` x `size` into `out` at element `offset` (NHWC, RGB,
 * 0..255 floats): bilinear samples at the crop pixels' centres, black outside the photo.
 *
 * @example
 *   const batch = new Float32Array(112 * 112 * 3);
 *   writeSquareSamples(photo, squareAround(points68, 1.4), 112, batch, 0);
 */
export function writeSquareSamples(image: RgbImage, square: CropSquare, size: number, out: Float32Array, offset: number): void {
  const { data, width, height } = image;
  const step = square.side / size;
  // Crop pixel u's centre sits at cx + (u - (size - 1) / 2) * step. Each tap's offset into the
  // photo is precomputed per column and per row; -1 marks a tap outside the photo (black).
  const taps = (centre: number, limit: number, stride: number) => {
    const low = new Int32Array(size);
    const high = new Int32Array(size);
    const frac = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      const at = centre + (k - (size - 1) / 2) * step;
      const whole = Math.floor(at);
      frac[k] = at - whole;
      low[k] = whole >= 0 && whole < limit ? whole * stride : -1;
      high[k] = whole + 1 >= 0 && whole + 1 < limit ? (whole + 1) * stride : -1;
    }
    return { low, high, frac };
  };
  const cols = taps(square.cx, width, 3);
  const rows = taps(square.cy, height, width * 3);
  const texel = (row: number, col: number, c: number) => (row < 0 || col < 0 ? 0 : data[row + col + c]!);
  let o = offset;
  for (let v = 0; v < size; v++) {
    const top = rows.low[v]!;
    const bottom = rows.high[v]!;
    const fy = rows.frac[v]!;
    for (let u = 0; u < size; u++) {
      const left = cols.low[u]!;
      const right = cols.high[u]!;
      const fx = cols.frac[u]!;
      for (let c = 0; c < 3; c++) {
        const a = texel(top, left, c);
        const b = texel(top, right, c);
        const d = texel(bottom, left, c);
        const e = texel(bottom, right, c);
        const upper = a + (b - a) * fx;
        const lower = d + (e - d) * fx;
        out[o++] = upper + (lower - upper) * fy;
      }
    }
  }
}

/**
 * One face's 68 points from the network's output (fractions of the crop, x then y, from element
 * `at`) in the photo's pixels. `mirrored`: the crop was given mirrored (image/crop.ts
 * `writeMirrored`), so its x is mirrored back. A fraction f is read as crop pixel f x size, as
 * face-api's own mapping reads it (landmarks-68-faceapi.ts `toImagePoints`).
 *
 * @example pointsFromSquare(raw, 0, { cx: 300, cy: 200, side: 224 }, 112, false)[30] // the nose tip in photo pixels
 */
export function pointsFromSquare(raw: Float32Array, at: number, square: CropSquare, size: number, mirrored: boolean): Point[] {
  const step = square.side / size;
  const half = (size - 1) / 2;
  const points: Point[] = [];
  for (let p = 0; p < 68; p++) {
    const u = raw[at + p * 2]! * size;
    const v = raw[at + p * 2 + 1]! * size;
    points.push([square.cx + (mirrored ? half - u : u - half) * step, square.cy + (v - half) * step]);
  }
  return points;
}
