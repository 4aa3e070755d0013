/**
 * Converts face-api's face_landmark_68_model (four densely connected blocks
 * of separable convolutions, then one fully connected layer) to ONNX.
 *
 * Graph: input `image` float32 [N, 112, 112, 3], RGB 0..255 (the face crop,
 * padded to a square and resized); output `landmarks` [N, 136]: x0, y0, x1,
 * y1, ... for the 68 iBUG points, as fractions of the padded square (what
 * face-api's net gives before it maps points back to the face box).
 */
import path from 'node:path';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { readWeightsManifest } from './weights.js';
import { FACE_MODEL_MEAN_RGB } from './age-gender.js';
import { add, conv2d, fullyConnected, globalAveragePool7, normalizedNchwInput, relu, separableConv2d, type LayerContext } from './faceapi-layers.js';

/** Side of the square face crop the model takes. */
export const LANDMARKS_68_INPUT_SIZE = 112;

/**
 * One dense block: a stride-2 reduction, then three separable convolutions
 * each fed the ReLU of the sum of every earlier output in the block.
 */
export function denseBlock(ctx: LayerContext, prefix: string, x: string, isFirst: boolean): string {
  const { g } = ctx;
  const reduced = isFirst
    ? conv2d(ctx, `${prefix}/conv0`, x, { stride: 2 })
    : separableConv2d(ctx, `${prefix}/conv0`, x, { stride: 2 });
  const out1 = relu(g, reduced);
  const out2 = separableConv2d(ctx, `${prefix}/conv1`, out1);
  const out3 = separableConv2d(ctx, `${prefix}/conv2`, relu(g, add(g, out1, out2)));
  // Same association as face-api (out1 + (out2 + out3)) so float sums round alike.
  const sum3 = add(g, out1, add(g, out2, out3));
  const out4 = separableConv2d(ctx, `${prefix}/conv3`, relu(g, sum3));
  return relu(g, add(g, out1, add(g, out2, add(g, out3, out4))));
}

/**
 * Builds the ONNX model from `face_landmark_68_model-weights_manifest.json` in `modelDir`.
 *
 * @example
 *   const bytes = await convertLandmarks68('node_modules/@vladmandic/face-api/model');
 *   const { landmarks } = await (await InferenceSession.create(bytes)).run({ image }); // [N, 136]
 */
export async function convertLandmarks68(modelDir: string): Promise<Uint8Array> {
  const weights = await readWeightsManifest(path.join(modelDir, 'face_landmark_68_model-weights_manifest.json'));
  const g = new GraphBuilder('faceapi_landmarks_68');
  const ctx: LayerContext = { g, weights };
  const size = LANDMARKS_68_INPUT_SIZE;
  let out = normalizedNchwInput(g, g.input('image', ['batch', size, size, 3]), FACE_MODEL_MEAN_RGB);
  for (let i = 0; i < 4; i++) out = denseBlock(ctx, `dense${i}`, out, i === 0);
  g.output(fullyConnected(ctx, 'fc', globalAveragePool7(g, out)), 'landmarks', ['batch', 136]);
  return g.serialize('face-api face_landmark_68_model converted by FaceRead');
}
