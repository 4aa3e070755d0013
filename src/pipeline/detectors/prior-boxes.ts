/**
 * SSD-style prior boxes shared by the detector families that regress
 * offsets from them (YuNet 2022mar, RetinaFace; UltraFace decodes its own
 * but its output rows follow the same count): for each feature map, one
 * prior per cell and size, centred on the cell, and the usual decoding of
 * an offset from a prior scaled by variances.
 *
 * @example
 *   const levels = ceilPriorLevels([8, 16, 32], [[16, 32], [64, 128], [256, 512]], 640, 480);
 *   const priors = priorBoxes(levels, 640, 480); // [cx, cy, w, h] per prior, normalised to the input
 */

/** One feature map: its stride in input pixels, prior sizes per cell (input pixels), and its cells. */
export interface PriorLevel {
  stride: number;
  sizes: readonly number[];
  cols: number;
  rows: number;
}

/** Feature maps of ceil(side / stride) cells, as RetinaFace and UltraFace lay them out. */
export function ceilPriorLevels(strides: readonly number[], sizes: readonly (readonly number[])[], width: number, height: number): PriorLevel[] {
  return strides.map((stride, m) => ({ stride, sizes: sizes[m]!, cols: Math.ceil(width / stride), rows: Math.ceil(height / stride) }));
}

/** How many priors (rows of the network's outputs) the levels give. */
export const priorCount = (levels: readonly PriorLevel[]): number => levels.reduce((sum, { cols, rows, sizes }) => sum + cols * rows * sizes.length, 0);

/**
 * Priors as [cx, cy, w, h] each, normalised to the input, in the networks' output order: map by
 * map, row by row, cell by cell, size by size.
 */
export function priorBoxes(levels: readonly PriorLevel[], width: number, height: number): Float32Array {
  const priors = new Float32Array(priorCount(levels) * 4);
  let o = 0;
  for (const { stride, sizes, cols, rows } of levels) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        for (const size of sizes) {
          priors[o++] = ((c + 0.5) * stride) / width;
          priors[o++] = ((r + 0.5) * stride) / height;
          priors[o++] = size / width;
          priors[o++] = size / height;
        }
      }
    }
  }
  return priors;
}

/**
 * Variances the offsets were encoded with. SSD and RetinaFace use 0.1 for the centre and 0.2 for
 * both sizes; OpenCV's YuNet 2022mar decoder uses 0.1 for the width.
 */
export interface PriorVariances {
  centre: number;
  width: number;
  height: number;
}

/** A box in input pixels, its corner first. */
export interface InputBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Prior `i`'s box from four offsets at `loc[offset..]` (dx, dy, log dw, log dh), in the pixels of
 * a `width` x `height` input.
 */
export function decodePriorBox(priors: Float32Array, i: number, loc: ArrayLike<number>, offset: number, variances: PriorVariances, width: number, height: number): InputBox {
  const px = priors[i * 4]!, py = priors[i * 4 + 1]!, pw = priors[i * 4 + 2]!, ph = priors[i * 4 + 3]!;
  const cx = (px + loc[offset]! * variances.centre * pw) * width;
  const cy = (py + loc[offset + 1]! * variances.centre * ph) * height;
  const w = pw * Math.exp(loc[offset + 2]! * variances.width) * width;
  const h = ph * Math.exp(loc[offset + 3]! * variances.height) * height;
  return { x: cx - w / 2, y: cy - h / 2, width: w, height: h };
}

/** Prior `i`'s `count` points from x, y offsets at `loc[offset..]`, as x, y pairs in input pixels. */
export function decodePriorPoints(priors: Float32Array, i: number, loc: ArrayLike<number>, offset: number, count: number, centreVariance: number, width: number, height: number): number[] {
  const px = priors[i * 4]!, py = priors[i * 4 + 1]!, pw = priors[i * 4 + 2]!, ph = priors[i * 4 + 3]!;
  const points: number[] = [];
  for (let k = 0; k < count; k++) {
    points.push((px + loc[offset + 2 * k]! * centreVariance * pw) * width, (py + loc[offset + 2 * k + 1]! * centreVariance * ph) * height);
  }
  return points;
}
