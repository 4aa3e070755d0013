/**
 * Faces as the ONNX detector families decode them, before suppression
 * (YuNet, SCRFD, RetinaFace): a box, a score and landmarks in one
 * coordinate system, then scaled to the photo, suppressed and turned into
 * the pipeline's detections.
 */
import type { Detection, Point, RgbImage } from '../../types.js';
import { nonMaxSuppression, type Corners } from '../nms.js';

/** One face before suppression. */
export interface FaceCandidate {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  /** Points as x, y pairs (five for the families here; none for SCRFD without keypoints). */
  landmarks: number[];
}

/** The candidate with x scaled by `sx` and y by `sy` (e.g. from the network input to the photo). */
export function scaleCandidate(face: FaceCandidate, sx: number, sy: number): FaceCandidate {
  return {
    x: face.x * sx,
    y: face.y * sy,
    width: face.width * sx,
    height: face.height * sy,
    score: face.score,
    landmarks: face.landmarks.map((v, k) => v * (k % 2 === 0 ? sx : sy)),
  };
}

/**
 * Greedy suppression as InsightFace's and Pytorch_Retinaface's `py_cpu_nms` does it: boxes
 * measured in whole pixels inclusive of both corners (width x2 - x1 + 1), a weaker face dropped
 * when its overlap with a kept one is above `iouThreshold`; best first, at most `maxFaces`, from
 * the `topK` best candidates.
 */
export function suppressInclusive(candidates: readonly FaceCandidate[], iouThreshold: number, maxFaces: number, topK = Infinity): FaceCandidate[] {
  const pool = topK < candidates.length ? [...candidates].sort((a, b) => b.score - a.score).slice(0, topK) : candidates;
  // One pixel added to the far corners gives the inclusive widths, areas and overlaps.
  const corners: Corners[] = pool.map((f) => ({ x1: f.x, y1: f.y, x2: f.x + f.width + 1, y2: f.y + f.height + 1 }));
  const keep = nonMaxSuppression(corners, pool.map((f) => f.score), { iouThreshold, scoreThreshold: -Infinity, maxOutputs: maxFaces });
  return keep.map((k) => pool[k]!);
}

/** A candidate in photo pixels as a detection: box clamped to the photo, landmarks (if any) as found. */
export function candidateDetection(face: FaceCandidate, image: RgbImage): Detection {
  const x1 = Math.min(Math.max(face.x, 0), image.width);
  const y1 = Math.min(Math.max(face.y, 0), image.height);
  const x2 = Math.min(Math.max(face.x + face.width, 0), image.width);
  const y2 = Math.min(Math.max(face.y + face.height, 0), image.height);
  const detection: Detection = { box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score: face.score };
  if (face.landmarks.length > 0) {
    const landmarks: Point[] = [];
    for (let k = 0; k + 1 < face.landmarks.length; k += 2) landmarks.push([face.landmarks[k]!, face.landmarks[k + 1]!]);
    detection.landmarks = landmarks;
  }
  return detection;
}
