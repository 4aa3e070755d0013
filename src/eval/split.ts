/**
 * The deterministic dev/test split: a sample goes to `dev` or `test` by a
 * hash of its split key (the person when the data set knows it, else the
 * photo), so the split is the same on every machine and in every run, and
 * one person's photos never sit on both sides. Anything fitted (calibration,
 * ensemble weights, crop margins) is fitted on `dev`; `test` only reports.
 */

export type SplitName = 'dev' | 'test' | 'all';

/** Half the keys go to dev. */
export const DEV_FRACTION = 0.5;

/** FNV-1a, 32 bits: small, stable, and well mixed for short keys. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Which side a key falls on.
 *
 * @example splitOf('00123'); // 'dev' or 'test', always the same for '00123'
 */
export function splitOf(key: string): 'dev' | 'test' {
  return fnv1a(key) / 0x1_0000_0000 < DEV_FRACTION ? 'dev' : 'test';
}

/**
 * The samples of one side (or all of them), in their original order.
 *
 * @example
 *   const test = selectSplit(samples, 'test');
 */
export function selectSplit<T extends { splitKey: string }>(samples: readonly T[], split: SplitName): T[] {
  return split === 'all' ? [...samples] : samples.filter((s) => splitOf(s.splitKey) === split);
}

/**
 * An evenly spread subset of at most `limit` samples (every k-th), so a
 * quick run still covers all ages and not just the first names.
 *
 * @example spreadSubset([1, 2, 3, 4, 5, 6], 3); // [1, 3, 5]
 */
export function spreadSubset<T>(samples: readonly T[], limit: number | undefined): T[] {
  if (limit === undefined || limit >= samples.length) return [...samples];
  const step = samples.length / limit;
  return Array.from({ length: limit }, (_, i) => samples[Math.floor(i * step)]!);
}

/**
 * Parts of a set for fitting and for checking the fit: about `fraction` of the split keys (persons
 * where the data set names them) go to `heldOut`, by a hash salted apart from the dev/test split's,
 * so it cuts the dev half (or any part) at random again.
 *
 * @example const { fit, heldOut } = holdOut(samples, 0.3);
 */
export function holdOut<T extends { splitKey: string }>(samples: readonly T[], fraction: number): { fit: T[]; heldOut: T[] } {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`Expected a held-out fraction between 0 and 1 (e.g. 0.3) but received ${fraction}`);
  const fit: T[] = [];
  const heldOut: T[] = [];
  for (const sample of samples) (fnv1a(`holdout:${sample.splitKey}`) / 0x1_0000_0000 < fraction ? heldOut : fit).push(sample);
  return { fit, heldOut };
}
