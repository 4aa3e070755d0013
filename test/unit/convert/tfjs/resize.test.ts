import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node } from './graph-fixture.js';

const modes = [
  { align_corners: false, half_pixel_centers: false },
  { align_corners: true, half_pixel_centers: false },
  { align_corners: false, half_pixel_centers: true },
];
const sizes = [
  [11, 7], // up, non-integer scale
  [3, 2], // down
];

for (const op of ['ResizeBilinear', 'ResizeNearestNeighbor']) {
  for (const mode of modes) {
    for (const size of sizes) {
      const label = `align_corners=${mode.align_corners} half_pixel_centers=${mode.half_pixel_centers}`;
      test(`${op} ${label} from 5x4 to ${size.join('x')} matches tfjs`, async () => {
        const consts = [{ name: 'size', values: size, shape: [2], dtype: 'int32' as const }];
        const nodes = [node('y', op, ['x', 'size'], { align_corners: attr.b(mode.align_corners), half_pixel_centers: attr.b(mode.half_pixel_centers) })];
        await assertMatchesTfjs(graphModel([1, 5, 4, 2], consts, nodes), feedOf([1, 5, 4, 2]));
      });
    }
  }
}
