/**
 * The runner for attribute networks brought as ONNX files with a spec
 * (classifier-spec.ts; InsightFace's genderage imports as one too): every
 * face is cropped as the spec says (around its box, or by its landmarks),
 * scaled into the network's input, run in batches the model accepts, and
 * its outputs read as the spec's gender and age readings.
 */
import type { InferenceSession } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import type { Detection, RgbImage } from '../../types.js';
import type { AttributePrediction, AttributePredictor, RunnerFactory } from '../runner-types.js';
import { readFittedSpec, type AgeReading, type FittedClassifierSpec, type GenderReading } from './classifier-spec.js';
import { boxCropMatrix, landmarkCropMatrix, writeFaceInput } from './face-affine-crop.js';
import { expectedAge } from './levi-hassner.js';

function softmax(values: readonly number[]): number[] {
  const top = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * One face's gender from `values` (that face's outputs). Two classes: the larger wins, ties going
 * to the first (numpy's argmax, as InsightFace decides), with its probability; one probability:
 * above 0.5 it is the class named, else the other.
 *
 * @example
 *   readGender([0.37, -0.37], { from: 0, type: 'classes', labels: ['female', 'male'], activation: 'softmax' });
 *   // { label: 'female', probability: 0.677 }
 */
export function readGender(values: ArrayLike<number>, reading: GenderReading): NonNullable<AttributePrediction['gender']> {
  if (reading.type === 'classes') {
    const raw = [values[reading.from]!, values[reading.from + 1]!];
    const p = reading.activation === 'softmax' ? softmax(raw) : raw;
    const winner = p[1]! > p[0]! ? 1 : 0;
    return { label: reading.labels[winner], probability: p[winner]! };
  }
  const raw = values[reading.from]!;
  const p = Math.min(1, Math.max(0, reading.activation === 'sigmoid' ? sigmoid(raw) : raw));
  const other = reading.of === 'male' ? 'female' : 'male';
  return p > 0.5 ? { label: reading.of, probability: p } : { label: other, probability: 1 - p };
}

/**
 * One face's age from its outputs: one value scaled to years, or the eight bucket probabilities
 * and their probability-weighted midpoints.
 *
 * @example
 *   readAge([0.1, 0.2, 0.31], { from: 2, type: 'years', scale: 100, offset: 0 }); // { ageYears: 31 }
 */
export function readAge(values: ArrayLike<number>, reading: AgeReading): Pick<AttributePrediction, 'ageYears' | 'ageBucketProbabilities'> {
  if (reading.type === 'years') return { ageYears: values[reading.from]! * reading.scale + reading.offset };
  const raw = Array.from({ length: 8 }, (_, i) => values[reading.from + i]!);
  const probabilities = reading.activation === 'softmax' ? softmax(raw) : raw;
  return { ageYears: expectedAge(probabilities), ageBucketProbabilities: probabilities };
}

/** Where `face` is cropped from for this spec; an Error when the spec needs landmarks the face lacks. */
function cropMatrix(face: Detection, spec: FittedClassifierSpec) {
  const { size } = spec.input;
  if (spec.crop.method === 'box') return boxCropMatrix(face.box, size, spec.crop.margin, spec.crop.square);
  // The profile check refuses profiles that leave faces without landmarks; this guards the rest.
  if (!face.landmarks) throw new Error('This model crops faces by their five landmarks, but a face has none: give the profile a landmark model or a detector that finds landmarks');
  return landmarkCropMatrix(face.landmarks, size[0], spec.crop.margin);
}

/** The faces of `image` as one input batch (zero-padded up to a fixed batch size). */
function inputBatch(image: RgbImage, faces: readonly Detection[], spec: FittedClassifierSpec, batchSize: number) {
  const [width, height] = spec.input.size;
  const faceLength = 3 * width * height;
  const data = new Float32Array(batchSize * faceLength);
  faces.forEach((face, i) => writeFaceInput(image, cropMatrix(face, spec), spec.input.size, spec.input, data, i * faceLength));
  const dims = spec.input.layout === 'nchw' ? [batchSize, 3, height, width] : [batchSize, height, width, 3];
  return new ort.Tensor('float32', data, dims);
}

async function predictBatch(session: InferenceSession, image: RgbImage, faces: readonly Detection[], spec: FittedClassifierSpec): Promise<AttributePrediction[]> {
  const batchSize = spec.input.batch ?? faces.length;
  const outputs = await session.run({ [spec.input.name]: inputBatch(image, faces, spec, batchSize) });
  const perFace = (name: string) => {
    const data = outputs[name]!.data as Float32Array;
    const stride = data.length / batchSize;
    return (i: number) => data.subarray(i * stride, (i + 1) * stride);
  };
  const gender = spec.gender && { reading: spec.gender, values: perFace(spec.gender.output!) };
  const age = spec.age && { reading: spec.age, values: perFace(spec.age.output!) };
  return faces.map((_, i) => ({
    ...(gender ? { gender: readGender(gender.values(i), gender.reading) } : {}),
    ...(age ? readAge(age.values(i), age.reading) : {}),
  }));
}

/**
 * Wraps a session of an imported attribute network; `spec` is the fitted spec its import stored.
 *
 * @example
 *   const predictor = createOnnxClassifier(session, undefined, entry.spec);
 *   const [first] = await predictor.predict(image, faces); // { gender: { label: 'male', probability: 0.91 }, ageYears: 34 }
 */
export const createOnnxClassifier: RunnerFactory<AttributePredictor> = (session, _options, stored) => {
  const spec = readFittedSpec(stored);
  const batch = spec.input.batch;
  return {
    // Fed as the spec (its authors) crop, never levelled.
    ownGeometry: true,
    // The face's longer side spans the crop's longer side divided by the margin.
    cropSide: Math.ceil(Math.max(...spec.input.size) / spec.crop.margin),
    async predict(image: RgbImage, faces: readonly Detection[]): Promise<AttributePrediction[]> {
      if (faces.length === 0) return [];
      if (batch === null) return predictBatch(session, image, faces, spec);
      const answers: AttributePrediction[] = [];
      for (let start = 0; start < faces.length; start += batch) answers.push(...(await predictBatch(session, image, faces.slice(start, start + batch), spec)));
      return answers;
    },
  };
};
