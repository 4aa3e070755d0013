/**
 * Converts face-api's face_expression_model to ONNX. It is the landmark
 * network's feature extractor (four dense blocks, landmarks-68.ts) with its
 * own weights, then one fully connected layer to seven logits and a softmax.
 *
 * Graph: input `image` float32 [N, 112, 112, 3], RGB 0..255 (the face crop,
 * padded to a square and resized, as face-api crops it); output
 * `expressions` [N, 7], probabilities in EXPRESSION_LABELS order.
 */
import path from 'node:path';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { FACE_MODEL_MEAN_RGB } from './age-gender.js';
import { fullyConnected, globalAveragePool7, normalizedNchwInput, type LayerContext } from './faceapi-layers.js';
import { denseBlock } from './landmarks-68.js';
import { readWeightsManifest } from './weights.js';
import { EXPRESSION_INPUT_SIZE, EXPRESSION_LABELS } from '../../pipeline/attributes/faceapi-expression-layout.js';

export { EXPRESSION_INPUT_SIZE, EXPRESSION_LABELS, type ExpressionLabel } from '../../pipeline/attributes/faceapi-expression-layout.js';


/**
 * Builds the ONNX model from `face_expression_model-weights_manifest.json` in `modelDir`.
 *
 * @example
 *   const bytes = await convertExpression('node_modules/@vladmandic/face-api/model');
 *   const { expressions } = await (await InferenceSession.create(bytes)).run({ image }); // [N, 7]
 */
export async function convertExpression(modelDir: string): Promise<Uint8Array> {
  const weights = await readWeightsManifest(path.join(modelDir, 'face_expression_model-weights_manifest.json'));
  const g = new GraphBuilder('faceapi_expression');
  const ctx: LayerContext = { g, weights };
  const size = EXPRESSION_INPUT_SIZE;
  let out = normalizedNchwInput(g, g.input('image', ['batch', size, size, 3]), FACE_MODEL_MEAN_RGB);
  for (let i = 0; i < 4; i++) out = denseBlock(ctx, `dense${i}`, out, i === 0);
  const logits = fullyConnected(ctx, 'fc', globalAveragePool7(g, out));
  g.output(g.op('Softmax', [logits], {}, 'expression_softmax'), 'expressions', ['batch', EXPRESSION_LABELS.length]);
  return g.serialize('face-api face_expression_model converted by FaceRead');
}
