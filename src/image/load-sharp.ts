/**
 * sharp, loaded on first use. Loading it maps libvips and its libraries
 * (about 90 ms here), so a starting analyzer loads it while its workers load
 * their models instead of before.
 *
 * @example
 *   const sharp = await loadSharp();
 *   const { width } = await sharp(bytes).metadata();
 */
import type sharpModule from 'sharp';

export type Sharp = typeof sharpModule;

let loading: Promise<Sharp> | undefined;

export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(({ default: sharp }) => {
    // Every upload is decoded once: sharp's operation cache would only hold memory.
    sharp.cache(false);
    return sharp;
  });
  return loading;
}
