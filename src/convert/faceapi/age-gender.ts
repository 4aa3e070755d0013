/**
 * Converts face-api's age_gender_model (a TinyXception feature extractor with
 * two main blocks, then two fully connected heads) to ONNX.
 *
 * Graph: input `image` float32 [N, 112, 112, 3], RGB 0..255 (the face crop,
 * already padded to a square and resized); outputs `age` [N, 1] in years and
 * `gender` [N, 2] softmax probabilities ordered [male, female], as face-api.
 */
import path from 'node:path';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { readWeightsManifest } from './weights.js';
import {
  add,
  conv2d,
  fullyConnected,
  globalAveragePool7,
  maxPool,
  normalizedNchwInput,
  relu,
  separableConv2d,
  type LayerContext,
} from './faceapi-layers.js';

/** Side of the square face crop the model takes. */
export const AGE_GENDER_INPUT_SIZE = 112;
/** face-api's per-channel RGB means for its 112 px face models. */
export const FACE_MODEL_MEAN_RGB = [122.782, 117.001, 104.298] as const;
/** Index of each label in the `gender` output. */
export const GENDER_OUTPUT_LABELS = ['male', 'female'] as const;

const MAIN_BLOCKS = 2;

function reductionBlock(ctx: LayerContext, prefix: string, x: string, activateInput: boolean): string {
  const { g } = ctx;
  let out = activateInput ? relu(g, x) : x;
  out = separableConv2d(ctx, `${prefix}/separable_conv0`, out);
  out = separableConv2d(ctx, `${prefix}/separable_conv1`, relu(g, out));
  out = maxPool(g, out, 3, 2);
  // The shortcut reads the block input before its activation.
  return add(g, out, conv2d(ctx, `${prefix}/expansion_conv`, x, { stride: 2 }));
}

function mainBlock(ctx: LayerContext, prefix: string, x: string): string {
  const { g } = ctx;
  let out = separableConv2d(ctx, `${prefix}/separable_conv0`, relu(g, x));
  out = separableConv2d(ctx, `${prefix}/separable_conv1`, relu(g, out));
  out = separableConv2d(ctx, `${prefix}/separable_conv2`, relu(g, out));
  return add(g, out, x);
}

/** TinyXception from the normalised NCHW input to its [N, 512, 7, 7] features. */
function tinyXception(ctx: LayerContext, x: string): string {
  const { g } = ctx;
  let out = relu(g, conv2d(ctx, 'entry_flow/conv_in', x, { stride: 2 }));
  out = reductionBlock(ctx, 'entry_flow/reduction_block_0', out, false);
  out = reductionBlock(ctx, 'entry_flow/reduction_block_1', out, true);
  for (let i = 0; i < MAIN_BLOCKS; i++) out = mainBlock(ctx, `middle_flow/main_block_${i}`, out);
  out = reductionBlock(ctx, 'exit_flow/reduction_block', out, true);
  return relu(g, separableConv2d(ctx, 'exit_flow/separable_conv', out));
}

/**
 * Builds the ONNX model from `age_gender_model-weights_manifest.json` in `modelDir`.
 *
 * @example
 *   const bytes = await convertAgeGender('node_modules/@vladmandic/face-api/model');
 *   const session = await InferenceSession.create(bytes);
 *   const { age, gender } = await session.run({ image }); // image: [N, 112, 112, 3]
 */
export async function convertAgeGender(modelDir: string): Promise<Uint8Array> {
  const weights = await readWeightsManifest(path.join(modelDir, 'age_gender_model-weights_manifest.json'));
  const g = new GraphBuilder('faceapi_age_gender');
  const ctx: LayerContext = { g, weights };
  const size = AGE_GENDER_INPUT_SIZE;
  const image = g.input('image', ['batch', size, size, 3]);
  const features = tinyXception(ctx, normalizedNchwInput(g, image, FACE_MODEL_MEAN_RGB));
  const pooled = globalAveragePool7(g, features);
  g.output(fullyConnected(ctx, 'fc/age', pooled), 'age', ['batch', 1]);
  const genderLogits = fullyConnected(ctx, 'fc/gender', pooled);
  g.output(g.op('Softmax', [genderLogits], {}, 'gender_softmax'), 'gender', ['batch', 2]);
  return g.serialize('face-api age_gender_model converted by FaceRead');
}
