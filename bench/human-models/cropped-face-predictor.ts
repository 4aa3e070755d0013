/**
 * The shared runner for attribute networks fed with square face crops (the
 * human-models family: faceres, gear, SSR-Net): crop every face of a photo
 * as the model's spec says, run one batch, decode each face's outputs. With
 * `flip`, each face also runs mirrored and the two answers are averaged
 * (faces are nearly symmetric; the network's errors on the two views are not).
 */
import type { InferenceSession } from 'onnxruntime-node';
import ort from '../../src/engine/ort.js';
import type { Detection, RgbImage } from '../../src/types.js';
import type { AttributePrediction, AttributePredictor, RunnerFactory } from '../../src/pipeline/runner-types.js';
import { faceCropGeometry, writeFaceCrop, type CropWriteOptions } from '../../src/pipeline/attributes/face-crop-geometry.js';

/** What one face's outputs say, before averaging views. */
export interface RawAttributes {
  ageYears?: number;
  /** Probability that the face is male, 0..1. */
  maleProbability?: number;
}

export type SessionOutputs = InferenceSession.OnnxValueMapType;

export interface CroppedModelSpec {
  /** Human-readable name for error messages. */
  name: string;
  size: number;
  crop: Omit<CropWriteOptions, 'mirror'>;
  decode(outputs: SessionOutputs, face: number): RawAttributes;
}

export interface CropSettings {
  /** Square side as a multiple of the detection box's longer side. */
  margin: number;
  /** Turn the crop so the eyes are level (needs landmarks). */
  align: boolean;
  /** Average with the mirrored crop. */
  flip: boolean;
}

/** The output tensor whose last dimension is `size` (networks name them differently across conversions). */
export function outputWithWidth(outputs: SessionOutputs, size: number, model: string): Float32Array {
  const found = Object.values(outputs).find((t) => t.dims.length === 2 && t.dims[1] === size);
  if (!found) throw new Error(`The ${model} model has no output of width ${size}; outputs: ${Object.entries(outputs).map(([k, t]) => `${k}[${t.dims}]`).join(', ')}`);
  return found.data as Float32Array;
}

function averageViews(views: RawAttributes[]): AttributePrediction {
  const mean = (values: (number | undefined)[]) => {
    const present = values.filter((v): v is number => typeof v === 'number');
    return present.length === 0 ? undefined : present.reduce((a, b) => a + b, 0) / present.length;
  };
  const prediction: AttributePrediction = {};
  const age = mean(views.map((v) => v.ageYears));
  if (age !== undefined) prediction.ageYears = age;
  const male = mean(views.map((v) => v.maleProbability));
  if (male !== undefined) prediction.gender = male > 0.5 ? { label: 'male', probability: male } : { label: 'female', probability: 1 - male };
  return prediction;
}

/**
 * A runner factory for a cropped-face model.
 *
 * @example
 *   const factory = croppedFacePredictor(FACERES_SPEC, { margin: 1.4, align: true, flip: true });
 *   const predictor = factory(session);
 *   const [first] = await predictor.predict(image, detections); // { ageYears: 31.2, gender: { label: 'female', probability: 0.97 } }
 */
export function croppedFacePredictor(spec: CroppedModelSpec, settings: CropSettings): RunnerFactory<AttributePredictor> {
  return (session) => ({
    // The face's longer side is `margin` times smaller than the crop's.
    cropSide: Math.ceil(spec.size / settings.margin),
    async predict(image: RgbImage, faces: readonly Detection[]): Promise<AttributePrediction[]> {
      if (faces.length === 0) return [];
      const views = settings.flip ? 2 : 1;
      const { size } = spec;
      const channels = spec.crop.channels ?? 3;
      const faceLength = size * size * channels;
      const data = new Float32Array(faces.length * views * faceLength);
      faces.forEach((face, i) => {
        const geometry = faceCropGeometry(face, settings.margin, settings.align);
        for (let view = 0; view < views; view++) {
          writeFaceCrop(image, geometry, size, data, (view * faces.length + i) * faceLength, { ...spec.crop, mirror: view === 1 });
        }
      });
      const input = new ort.Tensor('float32', data, [faces.length * views, size, size, channels]);
      const outputs = await session.run({ [session.inputNames[0]!]: input });
      return faces.map((_, i) => averageViews(Array.from({ length: views }, (_, view) => spec.decode(outputs, view * faces.length + i))));
    },
  });
}
