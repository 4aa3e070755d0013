/**
 * Converts face-api's tiny_face_detector_model (a Tiny-YOLOv2 with separable
 * convolutions and leaky ReLUs) to ONNX.
 *
 * Graph: input `image` float32 [N, H, W, 3], RGB 0..255, H and W multiples
 * of 32 (face-api uses 416 x 416: the photo padded at its right or bottom to
 * a square, then resized); output `grid` [N, H/32, W/32, 25]: for each cell
 * and each of the 5 anchors, (tx, ty, tw, th, score logit), in face-api's
 * order and layout, before any sigmoid or exp.
 */
import path from 'node:path';
import { GraphBuilder, float, ints } from '../onnx/graph-builder.js';
import { readWeightsManifest } from './weights.js';
import { conv2d, maxPool, normalizedNchwInput, separableConv2d, type LayerContext } from './faceapi-layers.js';

/** face-api's default input side for the tiny face detector. */
export const TINY_FACE_DETECTOR_INPUT_SIZE = 416;
/** The per-channel RGB means the tiny face detector subtracts. */
export const TINY_FACE_DETECTOR_MEAN_RGB = [117.001, 114.697, 97.404] as const;
/** Values per anchor in the output grid: box (4) and objectness (1). */
export const TINY_FACE_BOX_ENCODING = 5;

// face-api's leaky is relu(x - 0.1x) + 0.1x, i.e. a leaky ReLU with slope 0.1 (as float32).
const leaky = (ctx: LayerContext, x: string): string => ctx.g.op('LeakyRelu', [x], { alpha: float(0.10000000149011612) });

/**
 * Builds the ONNX model from `tiny_face_detector_model-weights_manifest.json` in `modelDir`.
 *
 * @example
 *   const bytes = await convertTinyFaceDetector('node_modules/@vladmandic/face-api/model');
 *   const { grid } = await (await InferenceSession.create(bytes)).run({ image }); // [1, 13, 13, 25] for 416 x 416
 */
export async function convertTinyFaceDetector(modelDir: string): Promise<Uint8Array> {
  const weights = await readWeightsManifest(path.join(modelDir, 'tiny_face_detector_model-weights_manifest.json'));
  const g = new GraphBuilder('faceapi_tiny_face_detector');
  const ctx: LayerContext = { g, weights };
  const input = normalizedNchwInput(g, g.input('image', ['batch', 'height', 'width', 3]), TINY_FACE_DETECTOR_MEAN_RGB);
  let out = maxPool(g, leaky(ctx, conv2d(ctx, 'conv0', input, { padding: 'valid' })), 2, 2);
  for (let i = 1; i <= 5; i++) {
    out = leaky(ctx, separableConv2d(ctx, `conv${i}`, out, { padding: 1 }));
    out = maxPool(g, out, 2, i < 5 ? 2 : 1);
  }
  const grid = conv2d(ctx, 'conv8', out, { padding: 'valid' });
  g.output(g.op('Transpose', [grid], { perm: ints([0, 2, 3, 1]) }, 'to_nhwc'), 'grid', ['batch', 'cells_y', 'cells_x', 25]);
  return g.serialize('face-api tiny_face_detector_model converted by FaceRead');
}
