/**
 * Where each face is cropped from. A large JPEG is decoded reduced (see
 * decode.ts); faces with at least half a crop's pixels in it are cropped from
 * it, and the rest from one band of the photo decoded at the working
 * resolution, so no crop is enlarged more than twice.
 */
import type { Box, Detection, Point, RgbImage } from '../types.js';

/** A rectangle of the photo at a higher resolution than the image the faces were found in. */
export interface SharperRegion {
  image: RgbImage;
  /** The rectangle's top-left corner, in the detection image's pixels. */
  origin: { x: number; y: number };
  /** Detection-image pixels per region pixel (below 1: the region is sharper). */
  scale: number;
}

/** The photo as the pipeline holds it: the detection image and, for reduced decodes, a way to sharper pixels. */
export interface PhotoPixels {
  image: RgbImage;
  /** Decodes a rectangle (detection-image pixels) at the working resolution; absent when `image` is not reduced. */
  sharper?: (rect: Box) => Promise<SharperRegion>;
}

/** Some of a photo's faces in the pixels they are cropped from. */
export interface FaceView {
  image: RgbImage;
  faces: Detection[];
  /** Each face's index in the photo's list. */
  indices: number[];
  /** A point in this view's pixels, in the detection image's. */
  toPhoto(point: Point): Point;
}

/**
 * Room kept around each face in the band, as a fraction of its longer side: croppers that take a
 * margin (up to 1.4x, turned to level the eyes: half-diagonal 0.99x from the centre) find the
 * same pixels as in the whole photo.
 */
export const BAND_MARGIN = 0.75;

/**
 * Faces under this fraction of the crop side in a reduced image are cropped from a band. Enlarging
 * by up to 2x costs little (64 px faces: +0.06 years of MAE, gender within noise), while the band's
 * full-resolution decode costs as much as the reduced decode itself (docs/accuracy.md).
 */
export const BAND_BELOW = 0.5;

const longSide = (box: Box) => Math.max(box.width, box.height);

function unionWithMargin(boxes: readonly Box[], image: RgbImage): Box {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const box of boxes) {
    const margin = BAND_MARGIN * longSide(box);
    x1 = Math.min(x1, box.x - margin);
    y1 = Math.min(y1, box.y - margin);
    x2 = Math.max(x2, box.x + box.width + margin);
    y2 = Math.max(y2, box.y + box.height + margin);
  }
  x1 = Math.max(0, x1);
  y1 = Math.max(0, y1);
  return { x: x1, y: y1, width: Math.min(image.width, x2) - x1, height: Math.min(image.height, y2) - y1 };
}

function inRegion(face: Detection, region: SharperRegion): Detection {
  const { origin, scale } = region;
  const moved: Detection = {
    box: { x: (face.box.x - origin.x) / scale, y: (face.box.y - origin.y) / scale, width: face.box.width / scale, height: face.box.height / scale },
    score: face.score,
  };
  if (face.landmarks) moved.landmarks = face.landmarks.map(([x, y]): Point => [(x - origin.x) / scale, (y - origin.y) / scale]);
  return moved;
}

/**
 * The views to crop `faces` from: the detection image for faces whose longer side has at least
 * BAND_BELOW x `cropSide` pixels there (all faces when the photo has no sharper pixels), one
 * sharper band for the rest.
 *
 * @example
 *   const views = await faceViews(photo, faces, 112);
 *   for (const view of views) await predictor.predict(view.image, view.faces);
 */
export async function faceViews(photo: PhotoPixels, faces: readonly Detection[], cropSide: number): Promise<FaceView[]> {
  const identity = (point: Point) => point;
  const small = photo.sharper ? faces.flatMap((face, i) => (longSide(face.box) < cropSide * BAND_BELOW ? [i] : [])) : [];
  const large = faces.flatMap((_, i) => (small.includes(i) ? [] : [i]));
  const views: FaceView[] = [];
  if (large.length > 0) views.push({ image: photo.image, faces: large.map((i) => faces[i]!), indices: large, toPhoto: identity });
  if (small.length > 0) {
    const region = await photo.sharper!(unionWithMargin(small.map((i) => faces[i]!.box), photo.image));
    const { origin, scale } = region;
    views.push({
      image: region.image,
      faces: small.map((i) => inRegion(faces[i]!, region)),
      indices: small,
      toPhoto: ([x, y]) => [origin.x + x * scale, origin.y + y * scale],
    });
  }
  return views;
}
