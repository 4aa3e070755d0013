/**
 * The one table of models FaceRead knows: where each one's weights come
 * from (an npm package's files), how it is converted to ONNX, and which
 * runner drives it. Loaders are lazy imports so a process only loads the
 * code of the models it uses. Look models up by id, never by path.
 */
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

interface ModelBase {
  id: string;
  description: string;
  source: ModelSource;
  license: string;
  /** Converts the source folder's files to ONNX bytes. */
  convert(sourceFolder: string): Promise<Uint8Array>;
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
    runner: async () => (await import('../pipeline/attributes/age-gender-faceapi.js')).createFaceApiAgeGenderPredictor,
  },
  {
    id: 'faceapi-tiny-face-detector',
    role: 'detector',
    description: "face-api's Tiny Face Detector (YOLO-style, 416x416 input): faster, misses more small faces",
    source: faceApiFiles('tiny_face_detector_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/tiny-face-detector.js')).convertTinyFaceDetector(dir),
    runner: async () => (await import('../pipeline/detectors/tiny-face-detector.js')).createTinyFaceDetector,
  },
  {
    id: 'faceapi-landmarks-68',
    role: 'landmarks',
    description: "face-api's 68-point landmark network, reduced to 5 points (eyes, nose tip, mouth corners)",
    source: faceApiFiles('face_landmark_68_model'),
    license: 'MIT (@vladmandic/face-api)',
    convert: async (dir) => (await import('../convert/faceapi/landmarks-68.js')).convertLandmarks68(dir),
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
