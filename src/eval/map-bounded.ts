/**
 * Runs an async function over items with at most `concurrency` in flight,
 * keeping results in input order (enough photos queued to keep every
 * worker of the analyzer busy, never the whole data set at once).
 */

/**
 * @example
 *   const sizes = await mapBounded(files, 4, async (file) => (await stat(file)).size);
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  onDone?: (done: number, total: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
      onDone?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}
