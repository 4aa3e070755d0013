/**
 * Kernel, pad, stride and dilation of Convolution and Pooling layers in
 * every spelling Caffe accepts: a repeated field (`kernel_size: 3`, or one
 * value per spatial axis) or the `_h`/`_w` pair (`kernel_h: 3 kernel_w: 5`).
 */
import type { TextMessage } from '../text-format.js';

/** [height, width] of one parameter. */
export type Pair = [number, number];

/**
 * @example
 *   spatialPair(convolutionParam, 'pad', 0); // [1, 1] for `pad: 1`, [0, 2] for `pad_h: 0 pad_w: 2`
 */
export function spatialPair(param: TextMessage, name: 'kernel' | 'pad' | 'stride' | 'dilation', fallback: number | undefined): Pair {
  const repeatedName = name === 'kernel' ? 'kernel_size' : name;
  const h = param.number(`${name}_h`);
  const w = param.number(`${name}_w`);
  if (h !== undefined || w !== undefined) {
    if (h === undefined || w === undefined) throw new Error(`${name}_h and ${name}_w must be given together in ${param.source}`);
    return [h, w];
  }
  const values = param.numbers(repeatedName);
  if (values.length === 1) return [values[0]!, values[0]!];
  if (values.length === 2) return [values[0]!, values[1]!];
  if (values.length > 2) throw new Error(`Only 2-D ${repeatedName} is supported but ${param.source} gives ${values.length} values`);
  if (fallback === undefined) throw new Error(`${repeatedName} (or ${name}_h and ${name}_w) is required in ${param.source}`);
  return [fallback, fallback];
}
