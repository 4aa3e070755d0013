/**
 * Checks a classifier spec against its ONNX model at import: one image
 * input whose size and channels match the spec, and outputs with room for
 * every value the spec's readings take. Fills in what only the model says
 * (the input's name, NCHW or NHWC, a fixed batch size).
 *
 * @example
 *   const fitted = fitSpecToModel(readClassifierSpec(JSON.parse(text)), modelSignature(bytes));
 *   // fitted.input: { ..., name: 'data', layout: 'nchw', batch: null }
 */
import { describeShape, describeTensors, type ModelSignature, type SignatureDim } from '../../convert/onnx/model-signature.js';
import { readingWidth, type AgeReading, type ClassifierSpec, type FittedClassifierSpec, type GenderReading } from './classifier-spec.js';

const known = (d: SignatureDim | undefined): d is number => typeof d === 'number' && d > 0;

/**
 * Checks `spec` against the model's one image input and the outputs its readings name, and fills in
 * the input's name, layout (NCHW when the second dimension is 3, NHWC when the last is) and batch.
 * Throws an Error naming what was expected and what the file has.
 */
export function fitSpecToModel(spec: ClassifierSpec, signature: ModelSignature): FittedClassifierSpec {
  const refuse = (problem: string): never => {
    throw new Error(`${problem}. The file has inputs ${describeTensors(signature.inputs)} and outputs ${describeTensors(signature.outputs)}`);
  };
  if (signature.inputs.length !== 1) refuse(`Expected one image input but the model has ${signature.inputs.length}`);
  const input = signature.inputs[0]!;
  const shape = input.shape;
  if (!shape || shape.length !== 4) refuse(`Expected a 4-dimensional image input but ${input.name} is ${describeShape(shape)}`);
  const [n, d1, d2, d3] = shape!;
  const layout = spec.input.layout ?? (d1 === 3 ? 'nchw' : d3 === 3 ? 'nhwc' : refuse(`Expected 3 channels (NCHW or NHWC) but input ${input.name} is ${describeShape(shape)}`));
  const [c, h, w] = layout === 'nchw' ? [d1, d2, d3] : [d3, d1, d2];
  const [width, height] = spec.input.size;
  if ((known(c) && c !== 3) || (known(h) && h !== height) || (known(w) && w !== width)) {
    refuse(`Expected input ${input.name} to be ${layout === 'nchw' ? `[N, 3, ${height}, ${width}]` : `[N, ${height}, ${width}, 3]`} (input.size ${width}x${height}, ${layout}) but it is ${describeShape(shape)}`);
  }
  const fitted: FittedClassifierSpec = { ...spec, input: { ...spec.input, layout, name: input.name, batch: known(n) ? n : null } };
  for (const [attribute, reading] of [['gender', spec.gender], ['age', spec.age]] as const) {
    if (!reading) continue;
    if (!reading.output && signature.outputs.length !== 1) refuse(`${attribute}.output must name one of the model's ${signature.outputs.length} outputs`);
    const output = reading.output ? signature.outputs.find((o) => o.name === reading.output) : signature.outputs[0];
    if (!output) refuse(`${attribute}.output names "${reading.output}", which the model does not have`);
    // Values per face: every dimension after the batch.
    const perFace = output!.shape?.slice(1);
    const count = perFace && perFace.every(known) ? perFace.reduce((a, b) => a * b, 1) : undefined;
    const needed = reading.from + readingWidth(reading);
    if (count !== undefined && count < needed) refuse(`${attribute} reads values ${reading.from} to ${needed - 1} of output ${output!.name}, which has ${count} per face (${describeShape(output!.shape)})`);
    const named = { ...reading, output: output!.name };
    if (attribute === 'gender') fitted.gender = named as GenderReading;
    else fitted.age = named as AgeReading;
  }
  return fitted;
}
