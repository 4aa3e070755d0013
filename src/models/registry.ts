/**
 * The built-in models: where each one's weights come from (an npm
 * package's files), how they are converted to ONNX (and quantised), and
 * which kind (src/models/kinds.ts) drives them. Converters are lazy imports
 * so a process only loads the code of the models it converts. Look models
 * up by id, never by path; profiles are in src/models/profiles.ts.
 */
import type { RangeMethod } from '../convert/quantize/activation-ranges.js';
import type { CorrectionWeighting } from '../convert/quantize/bias-correction.js';
import { findKind, type AttributeKind, type DetectorKind, type LandmarkKind } from './kinds.js';

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

/** A built-in model: a kind's runner plus where its weights come from and how they become ONNX. */
interface BuiltInFields {
  id: string;
  /** Its entry in src/models/kinds.ts (role, what it provides, its runner). */
  kind: string;
  description: string;
  source: ModelSource;
  license: string;
  /** Converts the source folder's files to ONNX bytes. */
  convert(sourceFolder: string): Promise<Uint8Array>;
  /** Present when the model has an int8 version. */
  int8?: Int8Spec;
}

export type DetectorModel = DetectorKind & BuiltInFields;
export type AttributeModel = AttributeKind & BuiltInFields;
export type LandmarkModel = LandmarkKind & BuiltInFields;
export type ModelDefinition = DetectorModel | AttributeModel | LandmarkModel;

/** A built-in model of kind `kind`: the kind's role and runner, with the model's own fields. */
function builtIn(kind: string, fields: Omit<BuiltInFields, 'kind'>): ModelDefinition {
  return { ...findKind(kind), ...fields, kind } as ModelDefinition;
}

const FACE_API = '@vladmandic/face-api';

/**
 * int8 settings, chosen with bench/int8-study.ts on held-out photo variants: p99.999 ranges were
 * closest to float32 on every network. Defaults (`auto`) from `npm run bench:precision` and
 * `faceread eval` on dev (docs/accuracy.md, 2026-12-02): int8 only where it is faster and the
 * accuracy guard held on every dev set. Today that is the SSD detector only.
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
    // 2.5-2.9x faster. With face-api's own (padded) crop its ~1% narrower boxes moved All-Age-Faces'
    // age MAE 6.96 -> 7.30 and gender 88.4% -> 87.7%, failing the guard.
    // With the photo-square, mirrored age/gender crop (the default since 2026-12-02) it holds the guard
    // on all three dev sets (docs/accuracy.md, int8): UTKFace 85.8% -> 87.5% / MAE 5.04 -> 4.93, AAF
    // 89.6% -> 89.3% / 6.89 -> 6.95, WIDER AP50 50.9% -> 51.5%.
    isDefault: true,
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
  builtIn('faceapi-ssd-mobilenetv1', {
    id: 'faceapi-ssd-mobilenetv1',
    description: "face-api's SSD MobileNetV1 face detector (512x512 input)",
    source: faceApiFiles('ssd_mobilenetv1_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/ssd-mobilenetv1.js')).convertSsdMobilenetV1(dir),
    int8: INT8.ssd,
  }),
  builtIn('faceapi-age-gender', {
    id: 'faceapi-age-gender',
    description: "face-api's age and gender network (112x112 face crops)",
    source: faceApiFiles('age_gender_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/age-gender.js')).convertAgeGender(dir),
    int8: INT8.ageGender,
  }),
  builtIn('faceapi-tiny-face-detector', {
    id: 'faceapi-tiny-face-detector',
    description: "face-api's Tiny Face Detector (YOLO-style, 416x416 input): faster, misses more small faces",
    source: faceApiFiles('tiny_face_detector_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/tiny-face-detector.js')).convertTinyFaceDetector(dir),
    int8: INT8.tiny,
  }),
  builtIn('faceapi-landmarks-68', {
    id: 'faceapi-landmarks-68',
    description: "face-api's 68-point landmark network, reduced to 5 points (eyes, nose tip, mouth corners)",
    source: faceApiFiles('face_landmark_68_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/landmarks-68.js')).convertLandmarks68(dir),
    int8: INT8.landmarks,
  }),
  builtIn('faceapi-expression', {
    id: 'faceapi-expression',
    description: "face-api's expression network (7 expressions, 112x112 face crops): answers `expression` for every profile that names no other",
    source: faceApiFiles('face_expression_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/expression.js')).convertExpression(dir),
  }),
  builtIn('blazeface-back', {
    id: 'human-blazeface-back',
    description: "MediaPipe's BlazeFace (256 px back-camera model) as @vladmandic/human ships it: the close-up fallback of the default profiles",
    source: { package: '@vladmandic/human', folder: 'models', files: ['blazeface.json', 'blazeface.bin'] },
    license: 'MIT as packaged (@vladmandic/human); BlazeFace upstream Apache-2.0 (MediaPipe)',
    convert: async (dir) => (await import('../convert/human/blazeface.js')).convertBlazefaceBack(dir),
  }),
  builtIn('faceapi-age-gender-calibrated', {
    id: 'faceapi-age-gender-calibrated',
    description: "face-api's age and gender network with an 80% age range and a calibrated gender probability (fitted on eval dev data)",
    source: faceApiFiles('age_gender_model'),
    license: 'MIT (@vladmandic/face-api); calibration fitted on UTKFace/All-Age-Faces dev (research licences, see docs/accuracy.md)',
    convert: async (dir) => (await import('../convert/faceapi/age-gender.js')).convertAgeGender(dir),
    int8: INT8.ageGender,
  }),
];

/** The model with this id; a RangeError naming the known ids otherwise. */
export function findModel(id: string): ModelDefinition {
  const model = MODELS.find((m) => m.id === id);
  if (!model) throw new RangeError(`Unknown model "${id}". Should be one of: ${MODELS.map((m) => m.id).join(', ')}`);
  return model;
}
