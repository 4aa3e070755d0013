/**
 * A second look for photos where the detector found nothing: close selfies
 * and tight face crops (the face fills the frame) are what scene-trained
 * detectors miss, and with a black border of a quarter of the longer side
 * they look like the photos those detectors learnt from. Measured on
 * UTKFace (docs/accuracy.md): SSD finds 56% of the crops as they are, 73%
 * with a border of 25% of the longer side, 91% when a second, wider border
 * (62.5%) follows. Costs more detections only on photos without faces.
 */
import type { Detection, RgbImage } from '../../types.js';
import type { DetectOptions, FaceDetector } from '../runner-types.js';

/** Borders tried in turn, as fractions of the photo's longer side, until a face is found. */
export const RETRY_BORDER_FRACTIONS = [0.25, 0.625] as const;

/**
 * Larger photos are shrunk (by a whole factor) before the retries: the detector
 * sees at most 512 pixels a side anyway, and a full-size bordered copy of a
 * 12-megapixel photo would be over 100 MB.
 */
export const RETRY_MAX_SIDE = 1024;

/** `image` shrunk by the whole `factor`, each pixel the mean of a factor x factor block. */
export function shrinkByFactor(image: RgbImage, factor: number): RgbImage {
  if (factor <= 1) return image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Uint8Array(width * height * 3);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = ((y * factor + dy) * image.width + x * factor) * 3 + c;
          for (let dx = 0; dx < factor; dx++) sum += image.data[row + dx * 3]!;
        }
        data[(y * width + x) * 3 + c] = Math.round(sum / area);
      }
    }
  }
  return { data, width, height };
}

/** The image inside a black border of `border` pixels on every side. */
export function withBorder(image: RgbImage, border: number): RgbImage {
  const width = image.width + 2 * border;
  const height = image.height + 2 * border;
  const data = new Uint8Array(width * height * 3);
  const row = image.width * 3;
  for (let y = 0; y < image.height; y++) data.set(image.data.subarray(y * row, (y + 1) * row), ((y + border) * width + border) * 3);
  return { data, width, height };
}

/**
 * The second look alone, as a detector of its own (a link of a detector
 * chain): `detector` on the photo inside each border in turn (fractions of
 * its longer side), until one finds a face; boxes mapped back into the
 * photo (clamped).
 */
export function borderRetryDetector(detector: FaceDetector, fractions: readonly number[] = RETRY_BORDER_FRACTIONS): FaceDetector {
  return {
    ...(detector.inputSide === undefined ? {} : { inputSide: detector.inputSide }),
    async detect(image: RgbImage, options: DetectOptions): Promise<Detection[]> {
      const factor = Math.ceil(Math.max(image.width, image.height) / RETRY_MAX_SIDE);
      const small = shrinkByFactor(image, factor);
      for (const fraction of fractions) {
        const border = Math.round(Math.max(small.width, small.height) * fraction);
        const found = unpad(await detector.detect(withBorder(small, border), options), border, small);
        if (found.length > 0) return found.map((face) => scaleDetection(face, image.width / small.width, image.height / small.height, image));
      }
      return [];
    },
  };
}

/**
 * Detects; while nothing is found, detects again on the photo in each
 * border in turn and maps the boxes back (clamped to the photo).
 *
 * @example
 *   const faces = await detectWithPaddedRetry(detector, image, { minScore: 0.5, maxFaces: 100 });
 */
export async function detectWithPaddedRetry(detector: FaceDetector, image: RgbImage, options: DetectOptions): Promise<Detection[]> {
  const faces = await detector.detect(image, options);
  if (faces.length > 0) return faces;
  return borderRetryDetector(detector).detect(image, options);
}

/** A detection in a shrunk copy's pixels, back in the photo's (clamped). */
function scaleDetection(face: Detection, sx: number, sy: number, image: RgbImage): Detection {
  if (sx === 1 && sy === 1) return face;
  const x = face.box.x * sx;
  const y = face.box.y * sy;
  const scaled: Detection = {
    box: { x, y, width: Math.min(image.width, (face.box.x + face.box.width) * sx) - x, height: Math.min(image.height, (face.box.y + face.box.height) * sy) - y },
    score: face.score,
  };
  if (face.landmarks) scaled.landmarks = face.landmarks.map(([px, py]) => [px * sx, py * sy]);
  return scaled;
}

/** Boxes found in the bordered photo, moved back into the photo and clamped (boxes wholly in the border dropped). */
function unpad(found: Detection[], border: number, image: RgbImage): Detection[] {
  return found.flatMap((face) => {
    const x1 = Math.max(0, face.box.x - border);
    const y1 = Math.max(0, face.box.y - border);
    const x2 = Math.min(image.width, face.box.x + face.box.width - border);
    const y2 = Math.min(image.height, face.box.y + face.box.height - border);
    if (x2 <= x1 || y2 <= y1) return [];
    const moved: Detection = { box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score: face.score };
    if (face.landmarks) moved.landmarks = face.landmarks.map(([x, y]) => [x - border, y - border]);
    return [moved];
  });
}
