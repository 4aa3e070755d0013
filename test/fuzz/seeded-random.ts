/**
 * A small seeded random source (mulberry32) so every fuzz run can be
 * replayed from its seed: the CI sample and a failing case found by
 * `npm run fuzz` come back byte for byte.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Buffer;
  chance(probability: number): boolean;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)]!,
    bytes: (length: number) => {
      const out = Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i++) out[i] = int(0, 255);
      return out;
    },
    chance: (probability: number) => next() < probability,
  };
}
