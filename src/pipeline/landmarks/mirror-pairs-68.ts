/**
 * The iBUG 68 scheme's left-right pairs: which point of a face is which
 * point of its mirror image. The scheme numbers points by their place in
 * the image (36-41 is always the image-left eye), so the network's points on
 * a mirrored crop, mirrored back, must be renumbered with this before they
 * can be averaged with its points on the crop itself.
 */
import type { Point } from '../../types.js';

/** [a, b]: point a of a face is point b of its mirror image, and b is a. Points not listed (nose bridge, centre line) are their own. */
const PAIRS: readonly (readonly [number, number])[] = [
  // Jaw, chin (8) in the middle.
  [0, 16], [1, 15], [2, 14], [3, 13], [4, 12], [5, 11], [6, 10], [7, 9],
  // Brows.
  [17, 26], [18, 25], [19, 24], [20, 23], [21, 22],
  // Nostrils (33 in the middle; the bridge 27-30 on the centre line).
  [31, 35], [32, 34],
  // Eyes: outer corner, upper lid, inner corner, lower lid.
  [36, 45], [37, 44], [38, 43], [39, 42], [40, 47], [41, 46],
  // Outer lips (51 top and 57 bottom in the middle), inner lips (62, 66).
  [48, 54], [49, 53], [50, 52], [55, 59], [56, 58],
  [60, 64], [61, 63], [65, 67],
];

/** MIRROR_68[i]: the index point i has on the mirror image of the face. */
export const MIRROR_68: readonly number[] = (() => {
  const map = Array.from({ length: 68 }, (_, i) => i);
  for (const [a, b] of PAIRS) [map[a], map[b]] = [b, a];
  return map;
})();

/**
 * Points found on a mirrored crop (already mirrored back into the photo) renumbered as the
 * unmirrored face's points.
 *
 * @example renumberMirrored(points)[36] // what the network called 45 on the mirrored crop: the image-left eye's outer corner
 */
export const renumberMirrored = (points: readonly Point[]): Point[] => MIRROR_68.map((i) => points[i]!);
