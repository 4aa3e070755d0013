/**
 * Isotonic regression by pool-adjacent-violators (PAV), turned into a
 * monotone piecewise-linear age map. Why isotonic and not a smooth spline:
 * the models' age bias is not one shape (children read too old, older
 * people too young, the middle nearly right) and PAV follows any monotone
 * shape with no knots or smoothing to choose, so a user's fit has no
 * tuning step; it can only be non-decreasing, so an older-looking face
 * never gets a younger age. Its steps are smoothed by interpolating
 * linearly between block centres, and blocks holding fewer than
 * `minBlock` photos are merged into a neighbour so a few odd photos at
 * the ends cannot bend the map.
 */

/** What a block's value is: the mean of its targets (least squares) or their median (least absolute error). */
export type IsotonicLoss = 'mean' | 'median';

export interface IsotonicBlock {
  /** Mean of the block's inputs (where the knot sits). */
  x: number;
  /** The block's fitted value: the mean or median of its targets. */
  y: number;
  weight: number;
  targets: number[];
}

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

const valueOf = (targets: readonly number[], loss: IsotonicLoss) => (loss === 'median' ? middle(targets) : targets.reduce((a, b) => a + b, 0) / targets.length);

function merge(a: IsotonicBlock, b: IsotonicBlock, loss: IsotonicLoss): IsotonicBlock {
  const weight = a.weight + b.weight;
  const targets = [...a.targets, ...b.targets];
  return { x: (a.x * a.weight + b.x * b.weight) / weight, y: valueOf(targets, loss), weight, targets };
}

/**
 * The PAV blocks of points (x, y): y fitted non-decreasing in x, each block's value the mean (or
 * median) of its targets. Points with equal x share a block (ties cannot be ordered).
 *
 * @example isotonicBlocks([1, 2, 3, 4], [1, 3, 2, 4], 'mean'); // blocks at x 1, 2.5, 4 with y 1, 2.5, 4
 */
export function isotonicBlocks(xs: readonly number[], ys: readonly number[], loss: IsotonicLoss = 'mean'): IsotonicBlock[] {
  if (xs.length !== ys.length) throw new RangeError(`Expected as many targets as inputs but received ${ys.length} for ${xs.length}`);
  // Points with equal inputs are one group: PAV cannot order them.
  const groups = new Map<number, number[]>();
  xs.forEach((x, i) => (groups.get(x) ?? groups.set(x, []).get(x)!).push(ys[i]!));
  const blocks: IsotonicBlock[] = [];
  for (const [x, targets] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    let block: IsotonicBlock = { x, y: valueOf(targets, loss), weight: targets.length, targets };
    // A block not above the one before violates monotony: pool them (and again, as far back as needed).
    while (blocks.length > 0 && blocks.at(-1)!.y >= block.y) block = merge(blocks.pop()!, block, loss);
    blocks.push(block);
  }
  return blocks;
}

/**
 * Merges blocks lighter than `minWeight` into the neighbour whose value is nearer. With the mean,
 * merging neighbours keeps the values non-decreasing (a weighted mean lies between them); with the
 * median the merged value also lies between the two, since each half of the merged targets has a
 * median on its side.
 *
 * @example mergeLightBlocks(isotonicBlocks([1, 5, 5, 5], [1, 5, 5, 5]), 2, 'mean'); // one block: x 4, y 4, weight 4
 */
export function mergeLightBlocks(blocks: readonly IsotonicBlock[], minWeight: number, loss: IsotonicLoss = 'mean'): IsotonicBlock[] {
  const out = [...blocks];
  for (;;) {
    let lightest = -1;
    for (let i = 0; i < out.length; i++) if (out[i]!.weight < minWeight && (lightest < 0 || out[i]!.weight < out[lightest]!.weight)) lightest = i;
    if (lightest < 0 || out.length === 1) return out;
    const left = out[lightest - 1];
    const right = out[lightest + 1];
    const block = out[lightest]!;
    if (left && (!right || block.y - left.y <= right.y - block.y)) out.splice(lightest - 1, 2, merge(left, block, loss));
    else out.splice(lightest, 2, merge(block, right!, loss));
  }
}

/** Knots of a monotone piecewise-linear map: `from` strictly increasing, `to` non-decreasing. */
export interface MonotoneMap {
  from: number[];
  to: number[];
}

/**
 * The age map through the block centres. Beyond the outer centres the map goes on with slope 1
 * (an extra knot one year out on each side): a face older than any fitted one keeps the offset of
 * the oldest block rather than an extrapolated slope.
 *
 * @example fitMonotoneMap([10, 20, 30, 40], [14, 22, 28, 45], 1); // from [9, 10, 20, 30, 40, 41], to [13, 14, 22, 28, 45, 46]
 */
export function fitMonotoneMap(xs: readonly number[], ys: readonly number[], minBlock: number, loss: IsotonicLoss = 'mean'): MonotoneMap {
  if (xs.length === 0) throw new RangeError('Expected at least one point to fit an age map but received none');
  const blocks = mergeLightBlocks(isotonicBlocks(xs, ys, loss), minBlock, loss);
  const from = blocks.map((b) => b.x);
  const to = blocks.map((b) => b.y);
  return { from: [from[0]! - 1, ...from, from.at(-1)! + 1], to: [to[0]! - 1, ...to, to.at(-1)! + 1] };
}
