/**
 * State shared by the layer handlers while one Caffe net is converted: the
 * ONNX builder, every blob's tensor and static shape, the weights, and the
 * extra graph outputs a layer asks for (DetectionOutput hands its inputs to
 * TypeScript post-processing that way).
 *
 * Shapes are tracked statically (NCHW, batch counted as 1) because Caffe
 * layers need them at build time: PriorBox reads feature map sizes, Pooling
 * its ceil rounding, InnerProduct its input width. The ONNX graph itself
 * keeps the batch dimension free.
 */
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { CaffeBlob, CaffeWeights } from './caffemodel.js';
import type { CaffeLayer } from './net-definition.js';

/** A Caffe blob during conversion: its ONNX tensor, or its value when known at conversion time. */
export interface BlobTensor {
  /** Static NCHW shape (batch 1). */
  readonly shape: readonly number[];
  /** ONNX tensor name; undefined for a constant not yet written to the graph. */
  name?: string;
  /** Value computed at conversion (PriorBox and what is built from it only). */
  readonly constant?: Float32Array;
}

/** Converts one layer; returns one tensor per top, in order. */
export type LayerHandler = (layer: CaffeLayer, ctx: CaffeContext) => BlobTensor[];

export class CaffeContext {
  private readonly blobs = new Map<string, BlobTensor>();
  /** Graph outputs requested by layers, in order. */
  readonly extraOutputs: { name: string; tensor: BlobTensor }[] = [];

  constructor(
    readonly builder: GraphBuilder,
    readonly weights: CaffeWeights,
    /** The prototxt and caffemodel paths, for messages. */
    readonly files: { definition: string; weights: string },
  ) {}

  define(blob: string, tensor: BlobTensor): void {
    this.blobs.set(blob, tensor);
  }

  has(blob: string): boolean {
    return this.blobs.has(blob);
  }

  blob(name: string): BlobTensor {
    const tensor = this.blobs.get(name);
    if (!tensor) throw new Error(`Blob "${name}" is used before any layer produces it in ${this.files.definition}`);
    return tensor;
  }

  /** Bottom `index` of `layer`; an error naming the layer when it is missing. */
  bottom(layer: CaffeLayer, index = 0): BlobTensor {
    const name = layer.bottoms[index];
    if (name === undefined) throw this.layerError(layer, `needs at least ${index + 1} bottom blob(s)`);
    return this.blob(name);
  }

  /** The ONNX tensor holding `tensor`, writing a constant into the graph on first use. */
  name(tensor: BlobTensor): string {
    if (tensor.name) return tensor.name;
    if (!tensor.constant) throw new Error(`A blob has neither a tensor nor a value in ${this.files.definition} (converter bug)`);
    tensor.name = this.builder.constant('caffe_const', tensor.constant, tensor.shape);
    return tensor.name;
  }

  /** The learned blobs of `layer`, checked to number between `min` and `max`. */
  layerBlobs(layer: CaffeLayer, min: number, max = min): readonly CaffeBlob[] {
    const blobs = this.weights.get(layer.name) ?? [];
    if (blobs.length < min || blobs.length > max) {
      const expected = min === max ? `${min}` : `${min} to ${max}`;
      throw new Error(
        `Layer "${layer.name}" (${layer.type}) of ${this.files.definition} needs ${expected} weight blob(s) but ${this.files.weights} has ${blobs.length} for it`,
      );
    }
    return blobs;
  }

  /** An error about `layer` that names it, its type and the definition file. */
  layerError(layer: CaffeLayer, problem: string): Error {
    return new Error(`Layer "${layer.name}" (${layer.type}) in ${this.files.definition} ${problem}`);
  }
}

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Caffe's negative axis convention: -1 is the last axis. */
export function canonicalAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
