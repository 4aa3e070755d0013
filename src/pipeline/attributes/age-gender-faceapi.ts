/**
 * Age and gender with face-api's age_gender_model (converted by
 * `convertAgeGender`). Every face of a photo is cropped, resized to 112 px
 * with face-api's bilinear resize, and the photo's faces run as one batch.
 * Two crops (`crop`):
 * - `padded`: face-api's own (box clipped and floored, centred black
 *   padding to a square), what face-api.js feeds the network;
 * - `photo-square`: a square of the photo itself, `margin` times the box's
 *   longer side, centred on the box (`photoSquareRegion`; at the photo's
 *   border `shift` moves it inside, `black` keeps it centred over black).
 *   Its side follows only the box's longer side, so a box made narrower
 *   (the int8 detector's boxes are ~1% narrower) leaves it nearly as it
 *   was, where face-api's crop shows less face and more black: with the
 *   int8 detector, the photo square's answers stayed within the int8
 *   accuracy guard and face-api's crop's did not.
 * With `mirror`, each crop's mirror image runs in the same batch and the two
 * answers are averaged (`averageViews`). Defaults and their measurement:
 * docs/accuracy.md, "Crop geometry and mirror averaging".
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import { AGE_GENDER_INPUT_SIZE, GENDER_OUTPUT_LABELS } from '../../convert/faceapi/age-gender.js';
import { faceCropBatch, faceRegion, PHOTO_SQUARE_BORDERS, photoSquareRegion, writeMirrored, writeSquareCrop, type PhotoSquareBorder } from '../../image/crop.js';
import type { Detection, RgbImage } from '../../types.js';
import type { AttributePrediction, AttributePredictor } from '../runner-types.js';

export const FACEAPI_CROPS = ['padded', 'photo-square'] as const;
export type FaceApiCrop = (typeof FACEAPI_CROPS)[number];

export interface FaceApiAgeGenderOptions {
  /** Which square the network sees; see the file comment. */
  crop?: FaceApiCrop;
  /** `photo-square` only: the square's side as a multiple of the box's longer side, 1 to 1.5 (the most the reduced-decode band holds around a face: BAND_MARGIN). */
  margin?: number;
  /** `photo-square` only: where the square crosses the photo's border, move it inside (`shift`) or keep it centred with black beyond (`black`). */
  border?: PhotoSquareBorder;
  /** Also run each face mirrored and average the two answers (twice the network's work). */
  mirror?: boolean;
}

/**
 * The defaults, chosen on the dev sets (docs/accuracy.md, "Crop geometry and mirror averaging"):
 * mirroring lowered the age error on both sets with either crop; the photo square and face-api's
 * crop split the two sets in float32, and only the photo square kept the int8 detector within the
 * accuracy guard. Larger margins (1.1, 1.2) were worse on All-Age-Faces.
 */
export const FACEAPI_AGE_GENDER_DEFAULTS: Readonly<Required<FaceApiAgeGenderOptions>> = Object.freeze({ crop: 'photo-square', margin: 1, border: 'shift', mirror: true });

/** Checks options that may come from a profile document (plain JSON values), naming what is allowed. */
function checkedOptions(options: FaceApiAgeGenderOptions): Required<FaceApiAgeGenderOptions> {
  const unknown = Object.keys(options).filter((key) => !(key in FACEAPI_AGE_GENDER_DEFAULTS));
  if (unknown.length > 0) throw new RangeError(`Expected age/gender options among: ${Object.keys(FACEAPI_AGE_GENDER_DEFAULTS).join(', ')} but received ${unknown.join(', ')}`);
  const settings = { ...FACEAPI_AGE_GENDER_DEFAULTS, ...options };
  if (typeof settings.mirror !== 'boolean') throw new TypeError(`Expected boolean for mirror but received ${String(settings.mirror)} of type ${typeof settings.mirror}`);
  if (typeof settings.margin !== 'number') throw new TypeError(`Expected number for margin but received ${String(settings.margin)} of type ${typeof settings.margin}`);
  if (!FACEAPI_CROPS.includes(settings.crop)) throw new RangeError(`Expected crop to be one of: ${FACEAPI_CROPS.join(', ')} but received ${String(settings.crop)}`);
  if (!(settings.margin >= 1 && settings.margin <= 1.5)) throw new RangeError(`Expected a number between 1 and 1.5 for margin but received ${String(settings.margin)}`);
  if (!PHOTO_SQUARE_BORDERS.includes(settings.border)) throw new RangeError(`Expected border to be one of: ${PHOTO_SQUARE_BORDERS.join(', ')} but received ${String(settings.border)}`);
  if (settings.crop === 'padded' && settings.margin !== 1) throw new RangeError(`Expected margin 1 with the padded crop (face-api's crop has no margin) but received ${settings.margin}`);
  return settings;
}

/** The faces of `image` as the model's [N, 112, 112, 3] float input, cropped exactly as face-api crops them. */
export function faceBatch(image: RgbImage, faces: readonly Detection[], size: number): Tensor {
  const { data } = faceCropBatch(image, faces.map((face) => face.box), size);
  return new ort.Tensor('float32', data, [faces.length, size, size, 3]);
}

/**
 * The network's input for `faces`: their crops in order, then (with `mirror`)
 * the same crops mirrored in the same order, [views * N, size, size, 3].
 *
 * @example
 *   ageGenderInput(image, faces, 112, { crop: 'photo-square', margin: 1, mirror: true }); // dims [2 * faces.length, 112, 112, 3]
 */
export function ageGenderInput(image: RgbImage, faces: readonly Detection[], size: number, options: FaceApiAgeGenderOptions = {}): Tensor {
  const { crop, margin, border, mirror } = checkedOptions(options);
  const views = mirror ? 2 : 1;
  const faceLength = size * size * 3;
  const data = new Float32Array(views * faces.length * faceLength);
  faces.forEach((face, i) => {
    if (crop === 'padded') {
      writeSquareCrop(image, faceRegion(face.box, image.width, image.height), size, data, i * faceLength, true);
    } else {
      const square = photoSquareRegion(face.box, image.width, image.height, margin, border);
      writeSquareCrop(image, square.region, size, data, i * faceLength, true, square.layout);
    }
    if (mirror) writeMirrored(data, i * faceLength, (faces.length + i) * faceLength, size);
  });
  return new ort.Tensor('float32', data, [views * faces.length, size, size, 3]);
}

/** One view's answer: years and the probability that the face is male. */
export interface AgeGenderView {
  ageYears: number;
  maleProbability: number;
}

const logit = (p: number) => Math.log(p / (1 - p));
/** Keeps logit finite for a saturated softmax (float32 can give exactly 0 or 1). */
const clampProbability = (p: number) => Math.min(1 - 1e-7, Math.max(1e-7, p));

/** face-api's answer for a male probability: the more likely label and its probability. */
function genderOf(male: number): NonNullable<AttributePrediction['gender']> {
  const isMale = male > 0.5;
  return { label: GENDER_OUTPUT_LABELS[isMale ? 0 : 1], probability: isMale ? male : 1 - male };
}

/**
 * The answer of several views of one face: the mean of the years (the
 * network regresses years) and the mean of the gender logits, so an unsure
 * view leans towards a confident one and two agreeing views stay as sure as
 * each is instead of being pulled towards 0.5. On dev both means gave the
 * same labels; the logit mean's probabilities were better calibrated (ECE
 * 0.037 / 0.031 on UTKFace / All-Age-Faces against 0.042 / 0.037). One view
 * is passed through as face-api answers it.
 *
 * @example
 *   averageViews([{ ageYears: 30, maleProbability: 0.9 }, { ageYears: 34, maleProbability: 0.6 }]);
 *   // { ageYears: 32, gender: { label: 'male', probability: 0.786... } }
 */
export function averageViews(views: readonly AgeGenderView[]): AttributePrediction {
  if (views.length === 1) return { gender: genderOf(views[0]!.maleProbability), ageYears: views[0]!.ageYears };
  const ageYears = views.reduce((sum, v) => sum + v.ageYears, 0) / views.length;
  const meanLogit = views.reduce((sum, v) => sum + logit(clampProbability(v.maleProbability)), 0) / views.length;
  return { gender: genderOf(1 / (1 + Math.exp(-meanLogit))), ageYears };
}

function outputData(outputs: InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor) throw new Error(`The age/gender model has no output "${name}"; was it converted by convertAgeGender?`);
  return tensor.data as Float32Array;
}

/**
 * Wraps a session of the converted age_gender_model. Options default to
 * `FACEAPI_AGE_GENDER_DEFAULTS`.
 *
 * @example
 *   const session = await InferenceSession.create(await convertAgeGender(modelDir));
 *   const predictor = createFaceApiAgeGenderPredictor(session, { crop: 'photo-square', mirror: true });
 *   const [first] = await predictor.predict(image, detections);
 *   // first: { gender: { label: 'female', probability: 0.97 }, ageYears: 31.4 }
 */
export function createFaceApiAgeGenderPredictor(session: InferenceSession, options: FaceApiAgeGenderOptions = {}): AttributePredictor {
  const settings = checkedOptions(options);
  const size = AGE_GENDER_INPUT_SIZE;
  return {
    // The face's longer side covers 1 / margin of the crop.
    cropSide: Math.ceil(size / settings.margin),
    async predict(image: RgbImage, faces: readonly Detection[]): Promise<AttributePrediction[]> {
      if (faces.length === 0) return [];
      const outputs = await session.run({ image: ageGenderInput(image, faces, size, settings) });
      const ages = outputData(outputs, 'age');
      // Softmax over (male, female).
      const genders = outputData(outputs, 'gender');
      const views = settings.mirror ? 2 : 1;
      return faces.map((_, i) =>
        averageViews(Array.from({ length: views }, (_, view) => {
          const row = view * faces.length + i;
          return { ageYears: ages[row]!, maleProbability: genders[row * 2]! };
        })),
      );
    },
  };
}
