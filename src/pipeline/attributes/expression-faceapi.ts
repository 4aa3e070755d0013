/**
 * The seven expressions of face-api's face_expression_model (converted by
 * `convertExpression`): faces cropped exactly as face-api crops them (box
 * padded to a square, 112 px), all faces of a photo in one batch.
 */
import { expressionOf } from '../../attributes/expression.js';
import ort from '../../engine/ort.js';
import { EXPRESSION_INPUT_SIZE, EXPRESSION_LABELS } from './faceapi-expression-layout.js';
import { faceCropBatch } from '../../image/crop.js';
import type { Detection, RgbImage } from '../../types.js';
import type { AttributePrediction, AttributePredictor, RunnerFactory } from '../runner-types.js';

/**
 * @example
 *   const [first] = await createFaceApiExpressionPredictor(session).predict(image, detections);
 *   // first.expression: { label: 'happy', probability: 0.97, probabilities: { neutral: 0.02, happy: 0.97, ... } }
 */
export const createFaceApiExpressionPredictor: RunnerFactory<AttributePredictor> = (session) => ({
  cropSide: EXPRESSION_INPUT_SIZE,
  async predict(image: RgbImage, faces: readonly Detection[]): Promise<AttributePrediction[]> {
    if (faces.length === 0) return [];
    const size = EXPRESSION_INPUT_SIZE;
    const { data } = faceCropBatch(image, faces.map((face) => face.box), size);
    const outputs = await session.run({ image: new ort.Tensor('float32', data, [faces.length, size, size, 3]) });
    const values = outputs.expressions?.data as Float32Array | undefined;
    if (!values) throw new Error('The expression model has no output "expressions"; was it converted by convertExpression?');
    const n = EXPRESSION_LABELS.length;
    return faces.map((_, i) => {
      const probabilities = Object.fromEntries(EXPRESSION_LABELS.map((label, k) => [label, values[i * n + k]!])) as Record<(typeof EXPRESSION_LABELS)[number], number>;
      return { expression: expressionOf(probabilities) };
    });
  },
});
