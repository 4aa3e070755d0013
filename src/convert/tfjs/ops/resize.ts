/**
 * ResizeBilinear and ResizeNearestNeighbor. TF's align_corners /
 * half_pixel_centers pair picks the ONNX coordinate_transformation_mode;
 * the target size replaces H and W of the input's NCHW shape.
 */
import { int, str, type Attribute } from '../../onnx/graph-builder.js';
import { computed, type ConversionContext, type Value } from '../conversion-context.js';
import { attrBool } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';

/** ONNX Resize attributes equivalent to TF's (and tfjs's) sampling rules. */
export function resizeAttributes(nearest: boolean, alignCorners: boolean, halfPixelCenters: boolean): Record<string, Attribute> {
  if (!nearest) {
    const mode = alignCorners ? 'align_corners' : halfPixelCenters ? 'half_pixel' : 'asymmetric';
    return { mode: str('linear'), coordinate_transformation_mode: str(mode) };
  }
  if (alignCorners) {
    // TF rounds the source coordinate half away from zero; coordinates are never negative here.
    return { mode: str('nearest'), coordinate_transformation_mode: str('align_corners'), nearest_mode: str('round_prefer_ceil') };
  }
  // TF: src = floor((dst + 0.5) * scale) with half pixel centers, floor(dst * scale) without.
  const mode = halfPixelCenters ? 'tf_half_pixel_for_nn' : 'asymmetric';
  return { mode: str('nearest'), coordinate_transformation_mode: str(mode), nearest_mode: str('floor') };
}

function resize(nearest: boolean) {
  return (node: TfNode, ctx: ConversionContext): Value[] => {
    const [x, size] = ctx.inputs(node) as [Value, Value];
    const g = ctx.builder;
    const input = ctx.nchw(x);
    const batchAndChannels = g.op('Slice', [g.op('Shape', [input]), g.int64s([0]), g.int64s([2])]);
    const sizes = g.op('Concat', [batchAndChannels, ctx.int64(size)], { axis: int(0) });
    const attributes = resizeAttributes(nearest, attrBool(node, 'align_corners'), attrBool(node, 'half_pixel_centers'));
    const y = g.op('Resize', [input, '', '', sizes], attributes, node.name);
    return [computed('float32', 4, y, 'nchw')];
  };
}

export const resizeOps: OpTable = {
  ResizeBilinear: resize(false),
  ResizeNearestNeighbor: resize(true),
};
