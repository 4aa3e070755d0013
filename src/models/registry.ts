/**
 * The one table of models FaceRead knows: where each one's weights come
 * from (an npm package's files), how it is converted to ONNX, and which
 * runner drives it. Loaders are lazy imports so a process only loads the
 * code of the models it uses. Look models up by id, never by path.
 */
import type { RangeMethod } from '../convert/quantize/activation-ranges.js';
import type { CorrectionWeighting } from '../convert/quantize/bias-correction.js';
import type { FaceDetector, AttributePredictor, LandmarkFinder, RunnerFactory } from '../pipeline/runner-types.js';
import type { Attribute } from '../types.js';

interface ModelSource {
  /** npm package that ships the weights. */
  package: string;
  /** Folder inside the package. */
  folder: string;
  /** Files in that folder that the conversion reads (hashed to notice a changed package). */
  files: readonly string[];
}

/** How the static quantiser makes a model's int8 version (src/convert/quantize/). */
export interface Int8Spec {
  /** Key of its activation ranges in calibration-ranges.ts (models sharing a network share it). */
  calibration: string;
  /** Which measured range each activation is quantised to (chosen by accuracy, bench/int8-study.ts). */
  method: RangeMethod;
  /** Conv nodes kept in float32 (layers where quantising hurts). */
  keepFloat: readonly string[];
  /** Conv nodes whose bias gets the measured int8 output shift added back (bias-correction.ts), and how positions weigh. */
  correctBias?: readonly string[];
  correctBiasWeighting?: CorrectionWeighting;
  /** Whether `auto` precision picks int8: only where the accuracy guard held on dev (docs/accuracy.md). */
  isDefault: boolean;
}

interface ModelBase {
  id: string;
  description: string;
  source: ModelSource;
  license: string;
  /** Converts the source folder's files to ONNX bytes. */
  convert(sourceFolder: string): Promise<Uint8Array>;
  /** Present when the model has an int8 version. */
  int8?: Int8Spec;
}

export interface DetectorModel extends ModelBase {
  role: 'detector';
  runner(): Promise<RunnerFactory<FaceDetector>>;
}

export interface AttributeModel extends ModelBase {
  role: 'attributes';
  /** What its predictions hold. */
  provides: readonly Attribute[];
  runner(): Promise<RunnerFactory<AttributePredictor>>;
}

export interface LandmarkModel extends ModelBase {
  role: 'landmarks';
  runner(): Promise<RunnerFactory<LandmarkFinder>>;
}

export type ModelDefinition = DetectorModel | AttributeModel | LandmarkModel;

const FACE_API = '@vladmandic/face-api';

/**
 * int8 settings, chosen with bench/int8-study.ts on held-out photo variants: p99.999 ranges were
 * closest to float32 on every network. Defaults (`auto`) from `npm run bench:precision` and
 * `faceread eval` on dev (docs/accuracy.md, 2026-12-02): int8 only where it is faster and the
 * accuracy guard held on every dev set. Today that is nowhere, so `auto` is float32 throughout.
 */
const INT8 = {
  ssd: {
    calibration: 'faceapi-ssd-mobilenetv1',
    method: 'p99.999',
    keepFloat: [],
    // Without it int8 boxes came out ~1% narrower (mean width encoding -0.05), which moved the age answers.
    correctBias: [0, 1, 2, 3, 4, 5].map((i) => `Prediction/BoxPredictor_${i}/node`),
    // Each head's channels are 5 per anchor (ty, tx, th, tw, face logit): weigh by that anchor's face probability.
    correctBiasWeighting: { groupSize: 5, scoreChannel: 4, minProbability: 0.5, prior: 5 },
    // 2.5-2.9x faster, WIDER AP50 50.9% -> 51.5%, UTKFace within the guard; but on All-Age-Faces
    // the crops of its boxes move face-api's age MAE 6.96 -> 7.30 and gender 88.4% -> 87.7%.
    isDefault: false,
  },
  ageGender: {
    calibration: 'faceapi-age-gender',
    method: 'p99.999',
    // The first separable convolution: 0.64 -> 0.48 years mean age difference from float32 when kept.
    keepFloat: ['entry_flow/reduction_block_0/separable_conv0/depthwise/node', 'entry_flow/reduction_block_0/separable_conv0/pointwise/node'],
    // 1.2-1.4x faster; within the guard on All-Age-Faces, not on UTKFace (age MAE 5.23 -> 5.44).
    isDefault: false,
  },
  // Slower in int8 (0.93x): the ReLUs after the dense blocks' additions do not fold, so Q/DQ pairs cost more than they save.
  landmarks: { calibration: 'faceapi-landmarks-68', method: 'p99.999', keepFloat: [], isDefault: false },
  // Slower in int8 (0.65-0.70x): LeakyReLU and max pools between the convolutions run in float between Q/DQ pairs.
  tiny: { calibration: 'faceapi-tiny-face-detector', method: 'p99.999', keepFloat: [], isDefault: false },
} satisfies Record<string, Int8Spec>;
const faceApiFiles = (stem: string) => ({
  package: FACE_API,
  folder: 'model',
  files: [`${stem}-weights_manifest.json`, `${stem}.bin`],
});

export const MODELS: readonly ModelDefinition[] = [
  {
    id: 'faceapi-ssd-mobilenetv1',
    role: 'detector',
    description: "face-api's SSD MobileNetV1 face detector (512x512 input)",
    source: faceApiFiles('ssd_mobilenetv1_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/ssd-mobilenetv1.js')).convertSsdMobilenetV1(dir),
    int8: INT8.ssd,
    runner: async () => (await import('../pipeline/detectors/ssd-mobilenetv1.js')).createSsdMobilenetV1Detector,
  },
  {
    id: 'faceapi-age-gender',
    role: 'attributes',
    provides: ['age', 'gender'],
    description: "face-api's age and gender network (112x112 face crops)",
    source: faceApiFiles('age_gender_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/age-gender.js')).convertAgeGender(dir),
    int8: INT8.ageGender,
    runner: async () => (await import('../pipeline/attributes/age-gender-faceapi.js')).createFaceApiAgeGenderPredictor,
  },
  {
    id: 'faceapi-tiny-face-detector',
    role: 'detector',
    description: "face-api's Tiny Face Detector (YOLO-style, 416x416 input): faster, misses more small faces",
    source: faceApiFiles('tiny_face_detector_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/tiny-face-detector.js')).convertTinyFaceDetector(dir),
    int8: INT8.tiny,
    runner: async () => (await import('../pipeline/detectors/tiny-face-detector.js')).createTinyFaceDetector,
  },
  {
    id: 'faceapi-landmarks-68',
    role: 'landmarks',
    description: "face-api's 68-point landmark network, reduced to 5 points (eyes, nose tip, mouth corners)",
    source: faceApiFiles('face_landmark_68_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/landmarks-68.js')).convertLandmarks68(dir),
    int8: INT8.landmarks,
    runner: async () => (await import('../pipeline/landmarks/landmarks-68-faceapi.js')).createFaceApiLandmarkFinder,
  },
  {
    id: 'faceapi-age-gender-calibrated',
    role: 'attributes',
    provides: ['age', 'gender'],
    description: "face-api's age and gender network with an 80% age range and a calibrated gender probability (fitted on eval dev data)",
    source: faceApiFiles('age_gender_model'),
    license: 'MIT (@vladmandic/face-api); calibration fitted on UTKFace/All-Age-Faces dev (research licences, see docs/accuracy.md)',
    convert: async (dir) => (await import('../convert/faceapi/age-gender.js')).convertAgeGender(dir),
    int8: INT8.ageGender,
    runner: async () => (await import('../pipeline/attributes/faceapi-age-gender-calibrated.js')).createCalibratedFaceApiAgeGenderPredictor,
  },
];

/** Named sets of models; `default` until the accuracy work picks better ones. */
export interface Profile {
  detector: string;
  attributes: readonly string[];
  landmarks?: string;
}

export const PROFILES: Readonly<Record<string, Profile>> = {
  default: { detector: 'faceapi-ssd-mobilenetv1', landmarks: 'faceapi-landmarks-68', attributes: ['faceapi-age-gender'] },
  fast: { detector: 'faceapi-tiny-face-detector', landmarks: 'faceapi-landmarks-68', attributes: ['faceapi-age-gender'] },
  // The best measured on UTKFace/All-Age-Faces test (docs/accuracy.md): face-api's net, with an age range and calibrated gender.
  accurate: { detector: 'faceapi-ssd-mobilenetv1', landmarks: 'faceapi-landmarks-68', attributes: ['faceapi-age-gender-calibrated'] },
};

export const DEFAULT_PROFILE = 'default';

/** The model with this id; a RangeError naming the known ids otherwise. */
export function findModel(id: string): ModelDefinition {
  const model = MODELS.find((m) => m.id === id);
  if (!model) throw new RangeError(`Unknown model "${id}". Should be one of: ${MODELS.map((m) => m.id).join(', ')}`);
  return model;
}

/** The profile with this name; a RangeError naming the known profiles otherwise. */
export function findProfile(name: string): Profile {
  const profile = PROFILES[name];
  if (!profile) throw new RangeError(`Unknown model profile "${name}". Should be one of: ${Object.keys(PROFILES).join(', ')}`);
  return profile;
}

/** Every model a profile uses, detector first. */
export function profileModels(profile: Profile): ModelDefinition[] {
  return [profile.detector, ...(profile.landmarks ? [profile.landmarks] : []), ...profile.attributes].map(findModel);
}
