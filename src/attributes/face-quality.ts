/**
 * Measures of how well a face can be read, on its box resampled to a fixed
 * 96 x 96 grey grid (so that faces of any size compare): sharpness as the
 * variance of a 4-neighbour Laplacian, brightness as the mean grey level
 * (0-255), contrast as its standard deviation.
 */
import type { Box, RgbImage } from '../types.js';

export const QUALITY_GRID = 96;

export interface FaceMeasures {
  sharpness: number;
  brightness: number;
  contrast: number;
}

/** Grey (BT.601 luma) at a real-valued position, bilinear, clamped to the image. */
function greyAt(image: RgbImage, x: number, y: number): number {
  const { width, height, data } = image;
  const cx = Math.max(0, Math.min(width - 1, x));
  const cy = Math.max(0, Math.min(height - 1, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const luma = (px: number, py: number) => {
    const i = (py * width + px) * 3;
    return 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  };
  return (luma(x0, y0) * (1 - fx) + luma(x1, y0) * fx) * (1 - fy) + (luma(x0, y1) * (1 - fx) + luma(x1, y1) * fx) * fy;
}

/**
 * @example faceMeasures(photo, face.box) // { sharpness: 412.5, brightness: 131.2, contrast: 48.9 }
 */
export function faceMeasures(image: RgbImage, box: Box): FaceMeasures {
  const n = QUALITY_GRID;
  const grid = new Float64Array(n * n);
  for (let gy = 0; gy < n; gy++) {
    for (let gx = 0; gx < n; gx++) grid[gy * n + gx] = greyAt(image, box.x + ((gx + 0.5) * box.width) / n - 0.5, box.y + ((gy + 0.5) * box.height) / n - 0.5);
  }
  let sum = 0;
  let squares = 0;
  for (const v of grid) {
    sum += v;
    squares += v * v;
  }
  const brightness = sum / grid.length;
  const contrast = Math.sqrt(Math.max(0, squares / grid.length - brightness * brightness));
  let lapSum = 0;
  let lapSquares = 0;
  let count = 0;
  for (let y = 1; y < n - 1; y++) {
    for (let x = 1; x < n - 1; x++) {
      const i = y * n + x;
      const lap = grid[i - 1]! + grid[i + 1]! + grid[i - n]! + grid[i + n]! - 4 * grid[i]!;
      lapSum += lap;
      lapSquares += lap * lap;
      count++;
    }
  }
  const lapMean = lapSum / count;
  return { sharpness: lapSquares / count - lapMean * lapMean, brightness, contrast };
}
