/**
 * Turns the tiny face detector's raw YOLO grid into scored boxes, with
 * face-api's anchors and arithmetic: sigmoid offsets within a cell, anchor
 * sizes scaled by exp, and a correction for the padding that made the photo
 * square (so boxes come out as fractions of the photo itself).
 */
import type { Corners } from '../nms.js';

/** face-api's five anchor box sizes for the tiny face detector, in grid cells (width, height). */
export const TINY_FACE_ANCHORS: readonly (readonly [number, number])[] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];

export interface ScoredCorners {
  /** Fractions of the photo's width and height (may fall outside 0..1). */
  corners: Corners;
  score: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * How much of the square model input the photo fills along each axis, as
 * face-api measures it: the photo's sides scaled to `inputSize` and rounded.
 *
 * @example
 *   photoExtent(1920, 1280, 416); // { x: 1, y: 277 / 416 }
 */
export function photoExtent(width: number, height: number, inputSize: number): { x: number; y: number } {
  const scale = inputSize / Math.max(width, height);
  return { x: Math.round(width * scale) / inputSize, y: Math.round(height * scale) / inputSize };
}

/**
 * All anchors scoring above `minScore` in one photo's grid ([cells, cells, 5 * 5] floats).
 *
 * @example
 *   const candidates = decodeTinyFaceGrid(grid, 13, photoExtent(1920, 1280, 416), 0.5);
 */
export function decodeTinyFaceGrid(grid: Float32Array, cells: number, extent: { x: number; y: number }, minScore: number): ScoredCorners[] {
  const anchors = TINY_FACE_ANCHORS.length;
  if (grid.length !== cells * cells * anchors * 5) {
    throw new RangeError(`Expected a ${cells}x${cells}x${anchors * 5} grid but received ${grid.length} values`);
  }
  const found: ScoredCorners[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < anchors; a++) {
        const at = ((row * cells + col) * anchors + a) * 5;
        const score = sigmoid(grid[at + 4]!);
        if (score <= minScore) continue;
        const [anchorWidth, anchorHeight] = TINY_FACE_ANCHORS[a]!;
        const centreX = (col + sigmoid(grid[at]!)) / cells / extent.x;
        const centreY = (row + sigmoid(grid[at + 1]!)) / cells / extent.y;
        const width = (Math.exp(grid[at + 2]!) * anchorWidth) / cells / extent.x;
        const height = (Math.exp(grid[at + 3]!) * anchorHeight) / cells / extent.y;
        const x1 = centreX - width / 2;
        const y1 = centreY - height / 2;
        found.push({ corners: { x1, y1, x2: x1 + width, y2: y1 + height }, score });
      }
    }
  }
  return found;
}
