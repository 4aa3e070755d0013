/**
 * Age and gender with face-api's age_gender_model (converted by
 * `convertAgeGender`): every face of a photo is cropped the way face-api
 * crops it (box clipped and floored, centred black padding to a square,
 * 112 px bilinear) and the whole photo's faces run as one batch.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import { AGE_GENDER_INPUT_SIZE, GENDER_OUTPUT_LABELS } from '../../convert/faceapi/age-gender.js';
import { faceCropBatch } from '../../image/crop.js';
import type { Detection, RgbImage } from '../../types.js';
import type { AttributePrediction, AttributePredictor, RunnerFactory } from '../runner-types.js';

/** The faces of `image` as the model's [N, 112, 112, 3] float input. */
export function faceBatch(image: RgbImage, faces: readonly Detection[], size: number): Tensor {
  const { data } = faceCropBatch(image, faces.map((face) => face.box), size);
  return new ort.Tensor('float32', data, [faces.length, size, size, 3]);
}

function outputData(outputs: InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor) throw new Error(`The age/gender model has no output "${name}"; was it converted by convertAgeGender?`);
  return tensor.data as Float32Array;
}

/**
 * Wraps a session of the converted age_gender_model.
 *
 * @example
 *   const session = await InferenceSession.create(await convertAgeGender(modelDir));
 *   const predictor = createFaceApiAgeGenderPredictor(session);
 *   const [first] = await predictor.predict(image, detections);
 *   // first: { gender: { label: 'female', probability: 0.97 }, ageYears: 31.4 }
 */
export const createFaceApiAgeGenderPredictor: RunnerFactory<AttributePredictor> = (session) => ({
  cropSide: AGE_GENDER_INPUT_SIZE,
  async predict(image: RgbImage, faces: readonly Detection[]): Promise<AttributePrediction[]> {
    if (faces.length === 0) return [];
    const outputs = await session.run({ image: faceBatch(image, faces, AGE_GENDER_INPUT_SIZE) });
    const ages = outputData(outputs, 'age');
    const genders = outputData(outputs, 'gender');
    return faces.map((_, i) => {
      // face-api decides on the male probability alone and reports its complement for female.
      const male = genders[i * 2]!;
      const isMale = male > 0.5;
      return {
        gender: { label: GENDER_OUTPUT_LABELS[isMale ? 0 : 1], probability: isMale ? male : 1 - male },
        ageYears: ages[i]!,
      };
    });
  },
});
