/**
 * InsightFace's genderage network (`genderage.onnx` of its model packs):
 * one image input [N, 3, 96, 96] and one output [N, 3] holding the female
 * and male scores and age / 100. Fed as InsightFace's `Attribute.get` feeds
 * it: the box centre, a square of 1.5 times the box's longer side, no turn,
 * warped by cv2.warpAffine to 96x96, RGB; and (x - 127.5) / 128 unless the
 * graph does that itself, which InsightFace recognises by its first nodes
 * (named Sub/_minus and Mul/_mul, or bn_data) and then feeds raw 0..255.
 * The gender is the larger score (ties: female, as argmax), its probability
 * the softmax of the two; age is the third value times 100 (InsightFace
 * rounds it to whole years; FaceRead keeps the decimals as for its other
 * models). The import turns all this into a classifier spec, so the
 * generic runner (onnx-classifier.ts) drives it.
 *
 * @example
 *   const spec = inspectGenderAgeModel(readFileSync('genderage.onnx'));
 *   // { input: { size: [96, 96], channels: 'rgb', mean: [0, 0, 0], scale: [1, 1, 1], ... }, crop: { method: 'box', margin: 1.5, square: true }, ... }
 */
import onnxProto from 'onnx-proto';
import { describeShape, describeTensors, modelSignature } from '../../convert/onnx/model-signature.js';
import { fitSpecToModel } from './classifier-import.js';
import type { FittedClassifierSpec } from './classifier-spec.js';

const { onnx } = onnxProto;

/** InsightFace's attribute crop: a square 1.5 times the box's longer side. */
export const GENDERAGE_MARGIN = 1.5;
/** The side InsightFace's genderage files take. */
export const GENDERAGE_SIDE = 96;

const EXPECTED = 'Expected an InsightFace genderage model: one image input [N, 3, S, S] (S = 96 in InsightFace\'s packs) and one output [N, 3] (female and male scores, age / 100)';

/**
 * Whether the graph normalises its own input, by InsightFace's rule: among the first eight nodes one
 * named Sub.. or _minus.. and one named Mul.. or _mul.., or a bn_data node among the first three.
 */
export function normalisesInGraph(bytes: Uint8Array): boolean {
  const nodes = (onnx.ModelProto.decode(bytes).graph?.node ?? []).slice(0, 8);
  const bnData = nodes.slice(0, 3).some((n) => n.name === 'bn_data');
  const sub = nodes.some((n) => n.name?.startsWith('Sub') || n.name?.startsWith('_minus'));
  const mul = nodes.some((n) => n.name?.startsWith('Mul') || n.name?.startsWith('_mul'));
  return bnData || (sub && mul);
}

/** The classifier spec that feeds a genderage file as InsightFace does; throws naming what was expected otherwise. */
export function inspectGenderAgeModel(bytes: Uint8Array): FittedClassifierSpec {
  const signature = modelSignature(bytes);
  const refuse = (problem: string): never => {
    throw new Error(`${EXPECTED}; but ${problem}. The file has inputs ${describeTensors(signature.inputs)} and outputs ${describeTensors(signature.outputs)}`);
  };
  if (signature.inputs.length !== 1) refuse(`it has ${signature.inputs.length} inputs`);
  if (signature.outputs.length !== 1) refuse(`it has ${signature.outputs.length} outputs`);
  const shape = signature.inputs[0]!.shape;
  if (!shape || shape.length !== 4 || shape[1] !== 3) refuse(`its input is ${describeShape(shape)}`);
  const [, , h, w] = shape!;
  if ((typeof h === 'number' || typeof w === 'number') && h !== w) refuse(`its input ${describeShape(shape)} is not square`);
  const side = typeof w === 'number' ? w : GENDERAGE_SIDE;
  const output = signature.outputs[0]!.shape;
  if (!output || output.length !== 2 || (typeof output[1] === 'number' && output[1] !== 3)) refuse(`its output is ${describeShape(output)}`);
  const [mean, std] = normalisesInGraph(bytes) ? [0, 1] : [127.5, 128];
  return fitSpecToModel(
    {
      input: { size: [side, side], channels: 'rgb', mean: [mean, mean, mean], scale: [1 / std, 1 / std, 1 / std], layout: 'nchw' },
      crop: { method: 'box', margin: GENDERAGE_MARGIN, square: true },
      gender: { from: 0, type: 'classes', labels: ['female', 'male'], activation: 'softmax' },
      age: { from: 2, type: 'years', scale: 100, offset: 0 },
    },
    signature,
  );
}
