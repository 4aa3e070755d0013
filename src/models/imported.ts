/**
 * Model kinds FaceRead can import from a user's own files (OpenCV's
 * classic networks), and which runner drives each. An imported model is
 * stored under its own id (`<profile>-detector`, `<profile>-age`, ...) with
 * its kind in the manifest; workers look the kind up here, never by a
 * model's name or path.
 *
 * @example
 *   const kind = findImportedKind('levi-hassner-age');
 *   const predictor = (await kind.runner())(session);
 */
import type { AttributePredictor, FaceDetector, RunnerFactory } from '../pipeline/runner-types.js';
import type { Attribute } from '../types.js';

interface KindBase {
  id: string;
  description: string;
}

export interface ImportedDetectorKind extends KindBase {
  role: 'detector';
  runner(): Promise<RunnerFactory<FaceDetector>>;
}

export interface ImportedAttributeKind extends KindBase {
  role: 'attributes';
  provides: readonly Attribute[];
  runner(): Promise<RunnerFactory<AttributePredictor>>;
}

export type ImportedKind = ImportedDetectorKind | ImportedAttributeKind;

/** Which kind a model given to `import-caffe` / `import-tf` under each option becomes. */
export type ImportedSlot = 'detector' | 'age' | 'gender';

export const IMPORTED_KINDS: readonly ImportedKind[] = [
  {
    id: 'opencv-res10-ssd',
    role: 'detector',
    description: "OpenCV's res10 SSD face detector (300x300, Caffe or TensorFlow)",
    runner: async () => (await import('../pipeline/detectors/caffe-ssd.js')).createCaffeSsdDetector,
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
];

export const KIND_FOR_SLOT: Readonly<Record<ImportedSlot, string>> = {
  detector: 'opencv-res10-ssd',
  age: 'levi-hassner-age',
  gender: 'levi-hassner-gender',
};

/** The kind with this id; a RangeError naming the known kinds otherwise. */
export function findImportedKind(id: string): ImportedKind {
  const kind = IMPORTED_KINDS.find((k) => k.id === id);
  if (!kind) throw new RangeError(`Unknown imported model kind "${id}". Should be one of: ${IMPORTED_KINDS.map((k) => k.id).join(', ')}`);
  return kind;
}
