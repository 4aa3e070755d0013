/**
 * SSD PriorBox, computed at conversion: the anchor boxes depend only on
 * the feature map and image sizes, so they become a constant
 * [1, 2, H * W * priors * 4] (boxes, then their variances), as Caffe's and
 * OpenCV's layers produce. Arithmetic is float32, as theirs is.
 */
import { canonicalAxis, type CaffeContext, type LayerHandler } from '../caffe-context.js';
import type { TextMessage } from '../text-format.js';

export interface PriorBoxSpec {
  minSizes: number[];
  maxSizes: number[];
  /** Given ratios; 1 and duplicates are dropped, reciprocals added when `flip`. */
  aspectRatios: number[];
  flip: boolean;
  clip: boolean;
  variances: number[];
  /** Step between cells in image pixels; 0 = image size / feature size. */
  step: [number, number];
  offset: number;
  /** Image size in pixels; 0 = the size of the image bottom. */
  imageSize: [number, number];
}

const f = Math.fround;

/** The distinct ratios other than 1, each followed by its reciprocal when flipped (Caffe's order). */
function expandRatios(given: readonly number[], flip: boolean): number[] {
  const ratios = [1];
  for (const ratio of given) {
    if (ratios.some((r) => Math.abs(r - ratio) < 1e-6)) continue;
    ratios.push(ratio);
    if (flip) ratios.push(1 / ratio);
  }
  return ratios.slice(1);
}

/** Box [width, height] of every prior at one cell, in Caffe's order: min, sqrt(min*max), then the ratios. */
function priorSizes(spec: PriorBoxSpec): [number, number][] {
  const ratios = expandRatios(spec.aspectRatios, spec.flip);
  const sizes: [number, number][] = [];
  spec.minSizes.forEach((min, i) => {
    sizes.push([min, min]);
    const max = spec.maxSizes[i];
    if (max !== undefined) sizes.push([f(Math.sqrt(min * max)), f(Math.sqrt(min * max))]);
    for (const ratio of ratios) sizes.push([f(min * f(Math.sqrt(ratio))), f(min / f(Math.sqrt(ratio)))]);
  });
  return sizes;
}

/**
 * Prior boxes and variances for a `layerHeight` x `layerWidth` feature map.
 *
 * @example
 *   const priors = priorBoxes(spec, 38, 38, 300, 300); // Float32Array of 2 * 38 * 38 * priors * 4
 */
export function priorBoxes(spec: PriorBoxSpec, layerHeight: number, layerWidth: number, imageHeight: number, imageWidth: number): Float32Array {
  const imgH = spec.imageSize[0] || imageHeight;
  const imgW = spec.imageSize[1] || imageWidth;
  const stepH = spec.step[0] || f(imgH / layerHeight);
  const stepW = spec.step[1] || f(imgW / layerWidth);
  const sizes = priorSizes(spec);
  const count = layerHeight * layerWidth * sizes.length * 4;
  const out = new Float32Array(count * 2);
  let o = 0;
  for (let h = 0; h < layerHeight; h++) {
    for (let w = 0; w < layerWidth; w++) {
      const cx = f(f(w + spec.offset) * stepW);
      const cy = f(f(h + spec.offset) * stepH);
      for (const [bw, bh] of sizes) {
        out[o++] = f(f(cx - f(bw / 2)) / imgW);
        out[o++] = f(f(cy - f(bh / 2)) / imgH);
        out[o++] = f(f(cx + f(bw / 2)) / imgW);
        out[o++] = f(f(cy + f(bh / 2)) / imgH);
      }
    }
  }
  if (spec.clip) for (let i = 0; i < count; i++) out[i] = Math.min(Math.max(out[i]!, 0), 1);
  const variances = spec.variances.length === 0 ? [0.1] : spec.variances;
  for (let i = 0; i < count; i++) out[count + i] = variances.length === 1 ? variances[0]! : variances[i % 4]!;
  return out;
}

function pairOf(param: TextMessage, single: string, h: string, w: string): [number, number] {
  if (param.has(h) || param.has(w)) return [param.number(h, 0), param.number(w, 0)];
  const value = param.number(single, 0);
  return [value, value];
}

/** Reads a Caffe `prior_box_param`. */
export function priorBoxSpec(param: TextMessage): PriorBoxSpec {
  return {
    minSizes: param.numbers('min_size'),
    maxSizes: param.numbers('max_size'),
    aspectRatios: param.numbers('aspect_ratio'),
    flip: param.boolean('flip', true),
    clip: param.boolean('clip', false),
    variances: param.numbers('variance'),
    step: pairOf(param, 'step', 'step_h', 'step_w'),
    offset: param.number('offset', 0.5),
    imageSize: pairOf(param, 'img_size', 'img_h', 'img_w'),
  };
}

function checkSpec(spec: PriorBoxSpec, fail: (problem: string) => Error): void {
  if (spec.minSizes.length === 0 || spec.minSizes.some((s) => !(s > 0))) throw fail('needs positive min_size values');
  if (spec.maxSizes.length > 0 && spec.maxSizes.length !== spec.minSizes.length) throw fail('needs as many max_size as min_size values');
  if (spec.maxSizes.some((max, i) => max <= spec.minSizes[i]!)) throw fail('needs every max_size above its min_size');
  if (![0, 1, 4].includes(spec.variances.length)) throw fail('needs 1 or 4 variance values');
}

export const priorBox: LayerHandler = (layer, ctx: CaffeContext) => {
  const feature = ctx.bottom(layer, 0);
  const image = ctx.bottom(layer, 1);
  const spec = priorBoxSpec(layer.message.message('prior_box_param'));
  checkSpec(spec, (problem) => ctx.layerError(layer, problem));
  const rank = feature.shape.length;
  const [layerHeight, layerWidth] = [feature.shape[canonicalAxis(-2, rank)]!, feature.shape[canonicalAxis(-1, rank)]!];
  const constant = priorBoxes(spec, layerHeight, layerWidth, image.shape[2]!, image.shape[3]!);
  return [{ shape: [1, 2, constant.length / 2], constant }];
};
