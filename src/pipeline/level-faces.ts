/**
 * Faces at any angle. The attribute networks were trained on upright faces,
 * and the landmark network, given a face turned a quarter or more, answers
 * with an upright face's points anyway, so neither can be trusted on a photo
 * turned without an EXIF tag. Two steps fix that before any attribute crop:
 *
 * 1. The photo's quarter turn (`photoTurn`): for its largest faces, the
 *    landmark network is run on each face turned back by 0, 90, 180 and 270
 *    degrees, each twice, 20 degrees either side. Where the face is upright
 *    the network follows it, and the two answers land on the same points of
 *    the photo; where it is not, the network draws a generic face in its own
 *    frame, which moves with the 40-degree difference. The turn whose two
 *    answers agree best, summed over the faces (a photo turns as a whole),
 *    wins: right on 24 of 24 sample photos x 4 turns, where single faces were
 *    right on 72 of 88.
 * 2. Each face's roll (`eyeRoll`): the line between the eyes of the 68
 *    points found on the face turned back by the photo's turn. A face is cut
 *    out turned back by the photo's turn, and by the rest of its roll when
 *    that is at least LEVEL_MIN_ROLL (`levelBy`; a `LevelledFace`), and
 *    every attribute model reads that upright patch instead of the photo
 *    (the face keeps the landmarks found in the photo, turned with it).
 *    (The pipeline puts a turned photo upright as a whole first,
 *    analyze-photo.ts, so only tilted heads are cut out.)
 */
import { invertAffine, warpAffineOpenCv, type Affine } from '../image/opencv-warp.js';
import type { Box, Detection, Point, RgbImage } from '../types.js';

/** Faces rolled less than this are read as today (no patch): most upright photos are untouched. */
export const LEVEL_MIN_ROLL = 15;

/** How many of a photo's faces (the largest) decide its turn: more cost more and agree anyway. */
export const TURN_FACES = 3;

export const QUARTERS = [0, 90, 180, 270] as const;
export type QuarterTurn = (typeof QUARTERS)[number];

/** The side the landmark network reads (face-api's 68-point net): the turn test's patches hold the face at this size. */
const TEST_FACE_SIDE = 112;
/**
 * The quick test's bar: upright sample faces measured 0.02-0.10 (tilted heads the most), faces
 * of turned photos 0.07-0.28. A photo above it runs the full test, which decides.
 */
const QUICK_AGREEMENT = 0.06;
/** Each face is tried at these tilts either side of each quarter turn. */
const TEST_TILTS = [-20, 20];

export type Locate68 = (image: RgbImage, faces: readonly Detection[]) => Promise<Point[][]>;

const apply = (m: Affine, [x, y]: Point): Point => [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
const longSide = (box: Box) => Math.max(box.width, box.height);

/**
 * The map from the photo to a `side` square patch that turns the face in `box` back by `degrees`
 * (the face is turned that much clockwise in the photo), scaled by `scale`, its centre at the patch's centre.
 *
 * @example levelMatrix({ x: 0, y: 0, width: 10, height: 10 }, 90, 1, 20); // a quarter turn anticlockwise about (5, 5), moved to (10, 10)
 */
export function levelMatrix(box: Box, degrees: number, scale: number, side: number): Affine {
  const t = (degrees * Math.PI) / 180;
  // Exact zeros and ones at quarter turns (cos(pi/2) is 6e-17 in doubles).
  const c = Math.round(Math.cos(t) * 1e12) / 1e12 * scale;
  const s = Math.round(Math.sin(t) * 1e12) / 1e12 * scale;
  // A whole-pixel centre: a quarter turn then moves pixels exactly, with no resampling.
  const cx = Math.round(box.x + box.width / 2);
  const cy = Math.round(box.y + box.height / 2);
  return [c, s, side / 2 - (c * cx + s * cy), -s, c, side / 2 - (-s * cx + c * cy)];
}

/**
 * The face's box once turned back by `degrees` and scaled: centred in the patch, width and height
 * swapped past 45 degrees. A tilted face's box is kept at its size (it holds a little more around
 * the face than an upright face's box would): shrinking it by 1 / (|cos| + |sin|) cut the laughing
 * face of sample1.jpg (44 degrees) too tight for the expression network (happy -> neutral).
 */
function levelledBox(box: Box, degrees: number, scale: number, side: number): Box {
  const t = (degrees * Math.PI) / 180;
  const swap = Math.abs(Math.sin(t)) > Math.abs(Math.cos(t));
  const width = (swap ? box.height : box.width) * scale;
  const height = (swap ? box.width : box.height) * scale;
  return { x: side / 2 - width / 2, y: side / 2 - height / 2, width, height };
}

/** One face cut out of the photo turned back by its roll, at the photo's resolution. */
export interface LevelledFace {
  image: RgbImage;
  /** The face in the patch, upright. */
  face: Detection;
  /** A patch point in the photo's pixels. */
  toPhoto(point: Point): Point;
  /** Clockwise degrees the face was turned in the photo (-180..180). */
  roll: number;
}

/**
 * Room around a levelled face, as a multiple of its longer side: croppers that take a margin (up to
 * 1.5x, see face-views.ts BAND_MARGIN) find the face's surroundings, not black.
 */
const PATCH_SIDES = 2.5;

/** The face in `detection` cut out of `image` turned back by `roll` degrees. */
export function levelFace(image: RgbImage, detection: Detection, roll: number): LevelledFace {
  // An even side: the patch's centre falls on a pixel corner as the photo's whole-pixel centre does.
  const side = 2 * Math.ceil((longSide(detection.box) * PATCH_SIDES) / 2);
  const matrix = levelMatrix(detection.box, roll, 1, side);
  const inverse = invertAffine(matrix);
  const face: Detection = { box: levelledBox(detection.box, roll, 1, side), score: detection.score };
  if (detection.landmarks) face.landmarks = detection.landmarks.map((p) => apply(matrix, p));
  return { image: { data: warpAffineOpenCv(image, matrix, side, side), width: side, height: side }, face, toPhoto: (p) => apply(inverse, p), roll };
}

// iBUG 68: the image-left eye (the subject's right) is 36-41, the image-right eye 42-47.
const meanOf = (points: readonly Point[], from: number, to: number): Point => {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) {
    x += points[i]![0];
    y += points[i]![1];
  }
  return [x / (to - from + 1), y / (to - from + 1)];
};

/**
 * How far the face is turned clockwise, in degrees (-180..180), from the line between its eyes
 * (68 points, iBUG order); 0 for a level face.
 *
 * @example eyeRoll(points) // 12.5: the image-right eye is lower than the image-left one
 */
export function eyeRoll(points68: readonly Point[]): number {
  const [lx, ly] = meanOf(points68, 36, 41);
  const [rx, ry] = meanOf(points68, 42, 47);
  return (Math.atan2(ry - ly, rx - lx) * 180) / Math.PI;
}

/**
 * How far to turn a face back, in degrees: the photo's quarter turn, plus the rest of its roll only
 * when that is LEVEL_MIN_ROLL or more. A face of a turned photo is then read exactly as the same face
 * upright (which is left as it is below LEVEL_MIN_ROLL).
 *
 * @example levelBy(97, 90) // 90
 * @example levelBy(-30, 0) // -30
 */
export function levelBy(roll: number, turn: QuarterTurn): number {
  const rest = wrapDegrees(roll - turn);
  return wrapDegrees(turn + (Math.abs(rest) >= LEVEL_MIN_ROLL ? rest : 0));
}

/** Normalises degrees to -180..180. */
export const wrapDegrees = (degrees: number) => ((((degrees + 180) % 360) + 360) % 360) - 180;

/**
 * Images side by side, tops aligned, black below the shorter ones: one image, so that a network
 * reads all their faces in one batch. Returns each image's left edge in the strip.
 */
export function sideBySide(images: readonly RgbImage[]): { image: RgbImage; lefts: number[] } {
  const lefts: number[] = [];
  let width = 0;
  for (const image of images) {
    lefts.push(width);
    width += image.width;
  }
  const height = Math.max(...images.map((image) => image.height));
  const data = new Uint8Array(width * height * 3);
  images.forEach((image, k) => {
    const row = image.width * 3;
    for (let y = 0; y < image.height; y++) data.set(image.data.subarray(y * row, (y + 1) * row), (y * width + lefts[k]!) * 3);
  });
  return { image: { data, width, height }, lefts };
}

/** Small patches side by side in one image, so the landmark network reads them all in one batch. */
function strip(patches: readonly { pixels: Uint8Array; box: Box }[], side: number): { image: RgbImage; boxes: Box[] } {
  const { image, lefts } = sideBySide(patches.map(({ pixels }) => ({ data: pixels, width: side, height: side })));
  return { image, boxes: patches.map(({ box }, i) => ({ ...box, x: box.x + lefts[i]! })) };
}

/**
 * A photo's levelled faces in one view: their patches side by side (`sideBySide`), so each model
 * reads them in one batch (one face at a time cost up to 1.5x as much a face on two threads). Each
 * face's crop stays inside its own patch (2.5 times the face, PATCH_SIDES). `toPhoto` maps a strip
 * point through the patch it falls in.
 */
export function levelledStrip(levelled: readonly LevelledFace[]): { image: RgbImage; faces: Detection[]; toPhoto(point: Point): Point } {
  const { image, lefts } = sideBySide(levelled.map((patch) => patch.image));
  const faces = levelled.map(({ face }, k): Detection => {
    const shift = ([x, y]: Point): Point => [x + lefts[k]!, y];
    return { ...face, box: { ...face.box, x: face.box.x + lefts[k]! }, ...(face.landmarks ? { landmarks: face.landmarks.map(shift) } : {}) };
  });
  const toPhoto = ([x, y]: Point): Point => {
    let k = lefts.length - 1;
    while (k > 0 && x < lefts[k]!) k--;
    return levelled[k]!.toPhoto([x - lefts[k]!, y]);
  };
  return { image, faces, toPhoto };
}

/**
 * For each of `quarters`: how much the landmark network's answers move when each of the photo's
 * largest faces, turned back by that quarter, is tilted 20 degrees either way (mean point shift over
 * the face's size; geometric mean over the faces). Small where the faces are upright there.
 */
async function quarterDisagreement(locate68: Locate68, image: RgbImage, faces: readonly Detection[], quarters: readonly QuarterTurn[]): Promise<number[]> {
  const chosen = [...faces].sort((a, b) => longSide(b.box) - longSide(a.box)).slice(0, TURN_FACES);
  const side = Math.ceil(TEST_FACE_SIDE * 1.25);
  const tries = chosen.flatMap((face) => {
    const scale = TEST_FACE_SIDE / longSide(face.box);
    return quarters.flatMap((quarter) => TEST_TILTS.map((tilt) => {
      const matrix = levelMatrix(face.box, quarter + tilt, scale, side);
      return { face, quarter, inverse: invertAffine(matrix), pixels: warpAffineOpenCv(image, matrix, side, side), box: levelledBox(face.box, quarter, scale, side) };
    }));
  });
  const { image: joined, boxes } = strip(tries, side);
  const found = await locate68(joined, boxes.map((box) => ({ box, score: 1 })));
  // Points back in the photo's pixels: undo the strip's offset, then the patch's map.
  const inPhoto = found.map((points, i) => points.map(([x, y]) => apply(tries[i]!.inverse, [x - i * side, y])));
  const logSums = quarters.map(() => 0);
  for (let i = 0; i < tries.length; i += 2) {
    const a = inPhoto[i]!;
    const b = inPhoto[i + 1]!;
    const mean = a.reduce((sum, p, k) => sum + Math.hypot(p[0] - b[k]![0], p[1] - b[k]![1]), 0) / a.length;
    // Relative to the face's size, in logs: each face weighs the same whatever its size.
    logSums[quarters.indexOf(tries[i]!.quarter)]! += Math.log(mean / longSide(tries[i]!.face.box) + 1e-6);
  }
  return logSums.map((sum) => Math.exp(sum / chosen.length));
}

/**
 * The photo's quarter turn (clockwise degrees its faces are turned), from its largest faces; see
 * the file comment. A quick test first tries the photo as it is (2 crops a face): when its faces'
 * answers agree within QUICK_AGREEMENT it is upright, and the other turns are never tried.
 *
 * @example await photoTurn(finder.locate68, photo, faces) // 90 for a photo turned a quarter clockwise without an EXIF tag
 */
export async function photoTurn(locate68: Locate68, image: RgbImage, faces: readonly Detection[]): Promise<QuarterTurn> {
  if (faces.length === 0) return 0;
  const [asIs] = await quarterDisagreement(locate68, image, faces, [0]);
  if (asIs! < QUICK_AGREEMENT) return 0;
  const all = await quarterDisagreement(locate68, image, faces, QUARTERS);
  return QUARTERS[all.indexOf(Math.min(...all))]!;
}

/**
 * Each face's roll in degrees: found on the face turned back by the photo's `turn` (68 points
 * there), so that the landmark network sees it upright.
 */
export async function faceRolls(locate68: Locate68, image: RgbImage, faces: readonly Detection[], turn: QuarterTurn, known?: readonly (readonly Point[] | undefined)[]): Promise<number[]> {
  if (turn === 0 && known && known.every(Boolean)) return known.map((points) => eyeRoll(points!));
  const patches = faces.map((face) => levelFace(image, face, turn));
  const rolls: number[] = [];
  for (const patch of patches) {
    const [points] = await locate68(patch.image, [patch.face]);
    rolls.push(wrapDegrees(turn + eyeRoll(points!)));
  }
  return rolls;
}

/**
 * `image` turned anticlockwise by `turn` degrees (a quarter-turned photo put upright): pixels move
 * exactly, so the faces read as in the upright photo.
 */
export function turnBack(image: RgbImage, turn: QuarterTurn): RgbImage {
  if (turn === 0) return image;
  const { width: w, height: h, data } = image;
  const width = turn === 180 ? w : h;
  const height = turn === 180 ? h : w;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The upright pixel (x, y) is this pixel of the turned photo.
      const [sx, sy] = turn === 90 ? [w - 1 - y, x] : turn === 180 ? [w - 1 - x, h - 1 - y] : [y, h - 1 - x];
      const from = (sy * w + sx) * 3;
      const to = (y * width + x) * 3;
      out[to] = data[from]!;
      out[to + 1] = data[from + 1]!;
      out[to + 2] = data[from + 2]!;
    }
  }
  return { data: out, width, height };
}

/** A point of the upright image `turnBack` made, in the pixels of the turned photo (`width` x `height`). */
export function toTurned([x, y]: Point, turn: QuarterTurn, width: number, height: number): Point {
  if (turn === 90) return [width - y, x];
  if (turn === 180) return [width - x, height - y];
  if (turn === 270) return [y, height - x];
  return [x, y];
}

/** A box of the upright image in the turned photo's pixels. */
export function boxToTurned(box: Box, turn: QuarterTurn, width: number, height: number): Box {
  const [ax, ay] = toTurned([box.x, box.y], turn, width, height);
  const [bx, by] = toTurned([box.x + box.width, box.y + box.height], turn, width, height);
  return { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(ax - bx), height: Math.abs(ay - by) };
}
