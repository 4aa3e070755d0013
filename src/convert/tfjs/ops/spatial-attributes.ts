/**
 * Window attributes shared by convolutions and pooling: TF gives them per
 * NHWC axis, ONNX per spatial axis.
 */
import { ints, str, type Attribute } from '../../onnx/graph-builder.js';
import type { ConversionContext } from '../conversion-context.js';
import { attrInts, attrString } from '../attributes.js';
import type { TfNode } from '../model-json.js';

/** Rejects NCHW graphs: every handler assumes TF's default NHWC. */
export function requireNhwc(ctx: ConversionContext, node: TfNode): void {
  const format = attrString(node, 'data_format', 'NHWC');
  if (format !== 'NHWC') {
    throw new Error(`Node "${node.name}" (${node.op}) of ${ctx.source} uses data_format ${format}; only NHWC is supported`);
  }
}

/** [h, w] of an NHWC attribute list such as strides [1, h, w, 1] (default 1). */
function spatial(values: readonly number[]): number[] {
  return values.length === 4 ? [values[1]!, values[2]!] : [1, 1];
}

/**
 * ONNX `strides`, `dilations` and padding for a TF window op. TF's SAME puts
 * the odd extra pad row at the end, which is ONNX's SAME_UPPER.
 */
export function windowAttributes(ctx: ConversionContext, node: TfNode, withDilations: boolean): Record<string, Attribute> {
  requireNhwc(ctx, node);
  const attributes: Record<string, Attribute> = { strides: ints(spatial(attrInts(node, 'strides'))) };
  if (withDilations) attributes.dilations = ints(spatial(attrInts(node, 'dilations')));
  const padding = attrString(node, 'padding');
  if (padding === 'SAME') {
    attributes.auto_pad = str('SAME_UPPER');
  } else if (padding === 'VALID') {
    attributes.pads = ints([0, 0, 0, 0]);
  } else if (padding === 'EXPLICIT') {
    // explicit_paddings is [n0, n1, h0, h1, w0, w1, c0, c1]; ONNX wants [h0, w0, h1, w1].
    const p = attrInts(node, 'explicit_paddings');
    attributes.pads = ints([p[2] ?? 0, p[4] ?? 0, p[3] ?? 0, p[5] ?? 0]);
  } else {
    throw new Error(`Unsupported padding "${padding}" in node "${node.name}" (${node.op}) of ${ctx.source}`);
  }
  return attributes;
}
