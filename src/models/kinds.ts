/**
 * The one table of model kinds: what each family of network does in the
 * pipeline (its role and, for attribute models, what it provides) and which
 * runner drives it. Built-in models (src/models/registry.ts, from npm
 * packages) and models imported from a user's files (the store's manifest)
 * both name a kind here; workers find runners by kind, never by a model's
 * id or path. A new family is one entry here plus its runner.
 *
 * @example
 *   const kind = findKind('levi-hassner-age');
 *   const predictor = (await kind.runner())(session);
 */
import { classifierTraits, readClassifierSpec, type ClassifierSpec } from '../pipeline/attributes/classifier-spec.js';
import type { AttributePredictor, FaceDetector, LandmarkFinder, ModelSpec, RunnerFactory } from '../pipeline/runner-types.js';
import type { Attribute } from '../types.js';

export type ModelRole = 'detector' | 'landmarks' | 'attributes';

/** A per-model setting a profile may give (`faceread profiles set --option`): one of `values`, or a number in `range`. */
export interface KindOption {
  description: string;
  values?: readonly (string | boolean)[];
  range?: readonly [min: number, max: number];
}

/** How a detector looks at a photo in its profile's chain (src/pipeline/detectors/detector-chain.ts). */
export const DETECTOR_LOOKS = ['as-is', 'retry', 'border'] as const;
export type DetectorLook = (typeof DETECTOR_LOOKS)[number];

/** Every detector's chain settings, given per model in a profile. */
const DETECTOR_OPTIONS: Readonly<Record<string, KindOption>> = {
  look: {
    description: "'as-is': the photo as it is; 'retry': then, when nothing is found, in black borders of 25% and 62.5% of its longer side; 'border': only in a 25% border",
    values: DETECTOR_LOOKS,
  },
  minScore: { description: "faces this link keeps score at least this much, even when the caller asks for less (default: its kind's own, shown by `models list`, else none)", range: [0, 1] },
};

/** A checked ONNX file, ready to store (`faceread models import-onnx`). */
export interface PreparedOnnx {
  bytes: Uint8Array;
  /** What was found, for the import's report (e.g. the variant and input size). */
  summary: string;
  /** What its runner needs to know about it, stored with it (src/pipeline/runner-types.ts ModelSpec). */
  spec?: ModelSpec;
}

/** What an attribute model answers, and whether it crops faces by their landmarks. */
export interface AttributeTraits {
  provides: readonly Attribute[];
  needsLandmarks: boolean;
}

interface KindBase {
  id: string;
  description: string;
  /** Settings its runner takes from a profile (src/pipeline/runner-types.ts ModelOptions). */
  options?: Readonly<Record<string, KindOption>>;
  /**
   * For kinds users import from their own ONNX file: checks the file is of this kind (refusing it
   * with what was expected otherwise) and makes the model to store.
   */
  importOnnx?(): Promise<(bytes: Uint8Array, spec?: ModelSpec) => Promise<PreparedOnnx>>;
  /**
   * For kinds imported with a JSON spec (`import-onnx --spec`, required for them): checks it,
   * throwing a RangeError that names the field at fault; the result goes to `importOnnx`.
   */
  readSpec?(json: unknown): ModelSpec;
  /** What `models list` says of a stored model of this kind from the spec its import stored (e.g. its input size). */
  describeSpec?(spec: ModelSpec): string;
}

export interface DetectorKind extends KindBase {
  role: 'detector';
  /** Its chain settings unless a profile says otherwise (default: look 'retry', no own min score). */
  chainDefaults?: { look?: DetectorLook; minScore?: number };
  /**
   * It gives five landmarks with each face (so the profile needs no landmark model for crops by
   * landmarks); for kinds where only some files do, a test of the spec their import stored.
   */
  landmarks?: boolean | ((spec: ModelSpec | undefined) => boolean);
  runner(): Promise<RunnerFactory<FaceDetector>>;
}

export interface LandmarkKind extends KindBase {
  role: 'landmarks';
  runner(): Promise<RunnerFactory<LandmarkFinder>>;
}

export interface AttributeKind extends KindBase {
  role: 'attributes';
  /** What its predictions hold (for kinds with `traits`: what a model of the kind may hold). */
  provides: readonly Attribute[];
  /** For kinds whose imports carry a spec: what the model answers and needs, from its spec. */
  traits?(spec: ModelSpec): AttributeTraits;
  runner(): Promise<RunnerFactory<AttributePredictor>>;
}

export type ModelKind = DetectorKind | LandmarkKind | AttributeKind;

/** The face-api age/gender runner's settings (src/pipeline/attributes/age-gender-faceapi.ts), chosen on dev. */
const FACEAPI_AGE_GENDER_OPTIONS: Readonly<Record<string, KindOption>> = {
  crop: { description: "'photo-square' (a square of the photo, side the box's longer side; default) or 'padded' (face-api's: the box padded with black)", values: ['photo-square', 'padded'] },
  margin: { description: "photo-square's side as a multiple of the box's longer side (default 1)", range: [1, 1.5] },
  border: { description: "photo-square at the photo's edge: 'shift' inside (default) or 'black' beyond", values: ['shift', 'black'] },
  mirror: { description: 'also run each face mirrored and average the two answers (default true)', values: [true, false] },
};

export const MODEL_KINDS: readonly ModelKind[] = [
  {
    id: 'faceapi-ssd-mobilenetv1',
    role: 'detector',
    options: DETECTOR_OPTIONS,
    description: "face-api's SSD MobileNetV1 face detector (512x512 input)",
    runner: async () => (await import('../pipeline/detectors/ssd-mobilenetv1.js')).createSsdMobilenetV1Detector,
  },
  {
    id: 'faceapi-tiny-face-detector',
    role: 'detector',
    options: DETECTOR_OPTIONS,
    description: "face-api's Tiny Face Detector (YOLO-style, 416x416 input)",
    runner: async () => (await import('../pipeline/detectors/tiny-face-detector.js')).createTinyFaceDetector,
  },
  {
    id: 'opencv-res10-ssd',
    role: 'detector',
    description: "OpenCV's res10 SSD face detector (300x300, Caffe or TensorFlow)",
    options: {
      ...DETECTOR_OPTIONS,
      preprocess: {
        description: "'opencv': OpenCV's sample (BGR, mean 104, 177, 123; right); 'classic-app': the LearnOpenCV app's (RGB planes, mean 104, 117, 123), to reproduce its numbers",
        values: ['opencv', 'classic-app'],
      },
    },
    runner: async () => (await import('../pipeline/detectors/caffe-ssd.js')).createCaffeSsdDetector,
  },
  {
    id: 'blazeface-back',
    role: 'detector',
    options: DETECTOR_OPTIONS,
    description: "MediaPipe's BlazeFace (256 px \"back camera\" model): the close-up fallback, looking at the photo in a border (docs/accuracy.md)",
    // Measured on dev (docs/accuracy.md, "A fallback for close-ups"): in a 25% border at >= 0.8 it finds
    // 99.6% of tight crops after SSD and its retry, for one false face on 562 faceless photos.
    chainDefaults: { look: 'border', minScore: 0.8 },
    runner: async () => (await import('../pipeline/detectors/blazeface.js')).blazefaceDetector(256),
  },
  {
    id: 'yunet',
    role: 'detector',
    options: DETECTOR_OPTIONS,
    description: "YuNet (OpenCV Zoo's 2022mar and 2023mar, libfacedetection's yunet_n): boxes and 5 landmarks, run at the photo's own size up to 1024 px",
    landmarks: true,
    // Its scores between 0.5 and 0.6 are sometimes extra faces on the demo and WIDER photos (README);
    // OpenCV's FaceDetectorYN.create defaults to 0.9, which drops small true faces.
    chainDefaults: { minScore: 0.6 },
    runner: async () => (await import('../pipeline/detectors/yunet.js')).createYunetDetector,
    importOnnx: async () => {
      const { prepareYunetModel } = await import('../pipeline/detectors/yunet-import.js');
      return async (bytes) => {
        const { bytes: stored, info, fixedSize } = await prepareYunetModel(bytes);
        return { bytes: stored, summary: `YuNet ${info.variant}, ${fixedSize ? `fixed input ${fixedSize.join('x')} (letterboxed)` : 'any input size (multiples of 32)'}` };
      };
    },
  },
  {
    id: 'ultraface',
    role: 'detector',
    options: DETECTOR_OPTIONS,
    description: 'UltraFace (Ultra-Light-Fast-Generic-Face-Detector-1MB, RFB-320 or slim): boxes only, at its fixed input size',
    runner: async () => (await import('../pipeline/detectors/ultraface.js')).createUltrafaceDetector,
    importOnnx: async () => {
      const { prepareUltrafaceModel } = await import('../pipeline/detectors/ultraface-import.js');
      return async (bytes) => {
        const { bytes: stored, info } = prepareUltrafaceModel(bytes);
        return { bytes: stored, summary: `UltraFace, input ${info.size.join('x')}, ${info.priors} priors` };
      };
    },
  },
  {
    id: 'scrfd',
    role: 'detector',
    options: DETECTOR_OPTIONS,
    description: "InsightFace's SCRFD (scrfd_500m ... 10g, with or without keypoints; det_*.onnx): boxes and, with keypoints, 5 landmarks, the photo fitted into its input (640x640 when free)",
    landmarks: (spec) => Array.isArray(spec?.keypoints),
    describeSpec: (spec) => {
      const size = spec.inputSize as [number, number] | null;
      return `${Array.isArray(spec.keypoints) ? 'with keypoints' : 'without keypoints (no landmarks)'}, input ${size ? size.join('x') : '640x640 (free size)'}`;
    },
    runner: async () => (await import('../pipeline/detectors/scrfd.js')).createScrfdDetector,
    importOnnx: async () => {
      const { prepareScrfdModel } = await import('../pipeline/detectors/scrfd-import.js');
      return async (bytes) => {
        const { bytes: stored, layout } = await prepareScrfdModel(bytes);
        const size = layout.inputSize ? `fixed input ${layout.inputSize.join('x')}` : 'any input size (run at 640x640)';
        return { bytes: stored, spec: { ...layout }, summary: `SCRFD ${layout.keypoints ? 'with' : 'without'} keypoints, ${size}` };
      };
    },
  },
  {
    id: 'retinaface',
    role: 'detector',
    options: DETECTOR_OPTIONS,
    description: "RetinaFace (Pytorch_Retinaface's mobilenet0.25 and ResNet50 exports): boxes and 5 landmarks, run at the photo's own size up to 1024 px",
    landmarks: true,
    describeSpec: (spec) => {
      const size = spec.inputSize as [number, number] | null;
      return `input ${size ? `${size.join('x')} (letterboxed)` : "the photo's own size up to 1024 px"}; outputs ${spec.loc}, ${spec.conf}, ${spec.landms}`;
    },
    runner: async () => (await import('../pipeline/detectors/retinaface.js')).createRetinafaceDetector,
    importOnnx: async () => {
      const { prepareRetinafaceModel } = await import('../pipeline/detectors/retinaface-import.js');
      return async (bytes) => {
        const { bytes: stored, layout } = await prepareRetinafaceModel(bytes);
        const size = layout.inputSize ? `fixed input ${layout.inputSize.join('x')} (letterboxed)` : 'any input size';
        return { bytes: stored, spec: { ...layout }, summary: `RetinaFace, ${size}, outputs ${layout.loc}/${layout.conf}/${layout.landms}` };
      };
    },
  },
  {
    id: 'faceapi-landmarks-68',
    role: 'landmarks',
    description: "face-api's 68-point landmark network, reduced to 5 points",
    runner: async () => (await import('../pipeline/landmarks/landmarks-68-faceapi.js')).createFaceApiLandmarkFinder,
  },
  {
    id: 'faceapi-age-gender',
    role: 'attributes',
    options: FACEAPI_AGE_GENDER_OPTIONS,
    provides: ['age', 'gender'],
    description: "face-api's age and gender network (112x112 face crops)",
    runner: async () => (await import('../pipeline/attributes/age-gender-faceapi.js')).createFaceApiAgeGenderPredictor,
  },
  {
    id: 'faceapi-age-gender-calibrated',
    role: 'attributes',
    // No crop options: its calibration was fitted on the default crop (photo square, mirrored).
    provides: ['age', 'gender'],
    description: "face-api's age and gender network with an 80% age range and a calibrated gender probability",
    runner: async () => (await import('../pipeline/attributes/faceapi-age-gender-calibrated.js')).createCalibratedFaceApiAgeGenderPredictor,
  },
  {
    id: 'levi-hassner-age',
    role: 'attributes',
    provides: ['age'],
    description: "Levi and Hassner's age network (227x227 crops, 8 buckets)",
    runner: async () => (await import('../pipeline/attributes/levi-hassner.js')).createLeviHassnerAgePredictor,
  },
  {
    id: 'levi-hassner-gender',
    role: 'attributes',
    provides: ['gender'],
    description: "Levi and Hassner's gender network (227x227 crops)",
    runner: async () => (await import('../pipeline/attributes/levi-hassner.js')).createLeviHassnerGenderPredictor,
  },
  {
    id: 'insightface-genderage',
    role: 'attributes',
    provides: ['age', 'gender'],
    description: "InsightFace's genderage network (96x96 crops around the box, as InsightFace crops them)",
    runner: async () => (await import('../pipeline/attributes/onnx-classifier.js')).createOnnxClassifier,
    importOnnx: async () => {
      const { inspectGenderAgeModel } = await import('../pipeline/attributes/insightface-genderage.js');
      return async (bytes) => {
        const spec = inspectGenderAgeModel(bytes);
        const normalised = spec.input.mean[0] === 0 ? 'the graph normalises its input' : '(x - 127.5) / 128';
        return { bytes, spec, summary: `InsightFace genderage, input ${spec.input.size.join('x')}, ${normalised}` };
      };
    },
  },
  {
    id: 'classifier',
    role: 'attributes',
    provides: ['age', 'gender'],
    description: 'any age and/or gender network, fed and read as its JSON spec says (import-onnx --spec)',
    traits: (spec) => classifierTraits(readClassifierSpec(spec)),
    readSpec: (json) => readClassifierSpec(json),
    runner: async () => (await import('../pipeline/attributes/onnx-classifier.js')).createOnnxClassifier,
    importOnnx: async () => {
      const { fitSpecToModel } = await import('../pipeline/attributes/classifier-import.js');
      const { modelSignature } = await import('../convert/onnx/model-signature.js');
      return async (bytes, spec) => {
        if (!spec) throw new RangeError('Expected a spec (--spec) for a classifier but received none');
        const fitted = fitSpecToModel(spec as ClassifierSpec, modelSignature(bytes));
        const answers = classifierTraits(fitted).provides.join(' and ');
        return { bytes, spec: fitted, summary: `classifier for ${answers}, input ${fitted.input.size.join('x')} ${fitted.input.layout} ${fitted.input.channels}, crop by ${fitted.crop.method}` };
      };
    },
  },
];

/** The kind with this id; a RangeError naming the known kinds otherwise. */
export function findKind(id: string): ModelKind {
  const kind = MODEL_KINDS.find((k) => k.id === id);
  if (!kind) throw new RangeError(`Unknown model kind "${id}". Should be one of: ${MODEL_KINDS.map((k) => k.id).join(', ')}`);
  return kind;
}

export const isKnownKind = (id: unknown): boolean => MODEL_KINDS.some((k) => k.id === id);

/**
 * What a model of this kind answers and needs; `spec` is the one its import stored (kinds with
 * `traits` take what they answer from it). Detectors and landmark models answer nothing.
 */
export function attributeTraits(kind: ModelKind, spec?: ModelSpec): AttributeTraits {
  if (kind.role !== 'attributes') return { provides: [], needsLandmarks: false };
  if (!kind.traits) return { provides: kind.provides, needsLandmarks: false };
  return spec ? kind.traits(spec) : { provides: [], needsLandmarks: false };
}

/** Whether a detector of this kind (with this stored spec) gives five landmarks with each face. */
export function detectorLandmarks(kind: ModelKind, spec?: ModelSpec): boolean {
  if (kind.role !== 'detector') return false;
  return typeof kind.landmarks === 'function' ? kind.landmarks(spec) : Boolean(kind.landmarks);
}

/** What a model of this kind (with this stored spec) answers. */
export const kindProvides = (kind: ModelKind, spec?: ModelSpec): readonly Attribute[] => attributeTraits(kind, spec).provides;
