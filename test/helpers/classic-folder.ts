/**
 * A classic app's model folder (its `/root/models`) made for a test, in
 * either layout, from ../shared/models/opencv's definitions and real res10
 * TF weights, with random caffemodels (real ones from FACEREAD_CAFFE_DIR
 * when set; see caffeModelFor). Files are linked, never copied into the repo.
 */
import { mkdtemp, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { caffeModelFor, OPENCV_MODELS_DIR } from './opencv-fixtures.js';

export type ClassicLayoutId = 'flask-app' | 'learnopencv';

/** Each layout's file names and where each comes from. */
function sources(layout: ClassicLayoutId): Record<string, string> {
  const shared = (file: string) => path.join(OPENCV_MODELS_DIR, file);
  const age = caffeModelFor('deploy_age.prototxt', { seed: 3 }).file;
  const gender = caffeModelFor('deploy_gender.prototxt', { seed: 4 }).file;
  if (layout === 'learnopencv') {
    return {
      'opencv_face_detector_uint8.pb': shared('opencv_face_detector_uint8.pb'),
      'opencv_face_detector.pbtxt': shared('opencv_face_detector.pbtxt'),
      'age_deploy.prototxt': shared('deploy_age.prototxt'),
      'age_net.caffemodel': age,
      'gender_deploy.prototxt': shared('deploy_gender.prototxt'),
      'gender_net.caffemodel': gender,
    };
  }
  return {
    'face_detection.prototxt': shared('deploy.prototxt'),
    'face_detection.caffemodel': caffeModelFor('deploy.prototxt', { seed: 5 }).file,
    'age_prediction.prototxt': shared('deploy_age.prototxt'),
    'age_prediction.caffemodel': age,
    'gender_classification.prototxt': shared('deploy_gender.prototxt'),
    'gender_classification.caffemodel': gender,
  };
}

/**
 * Makes the folder in the temp dir, without the files named in `leaveOut`.
 * Returns the folder and, per file name, the file it stands for.
 */
export async function makeClassicFolder(layout: ClassicLayoutId, leaveOut: readonly string[] = []): Promise<{ folder: string; files: Record<string, string> }> {
  const folder = await mkdtemp(path.join(os.tmpdir(), `faceread-classic-${layout}-`));
  const files = sources(layout);
  for (const [name, source] of Object.entries(files)) {
    if (!leaveOut.includes(name)) await symlink(source, path.join(folder, name));
  }
  return { folder, files };
}
