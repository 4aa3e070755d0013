/**
 * Reads a WIDER FACE-shaped folder: `gt.txt` in the official format (a
 * photo's name, its face count, then one line per face:
 * `x y w h blur expression illumination invalid occlusion pose`; a photo
 * without faces has a count of 0 and one line of zeros) and the photos in
 * `images/`. Faces marked invalid or smaller than `minFaceSize` are
 * ignored: they are not counted as missed, and finding them is no error.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DetectionSample, TruthBox } from './dataset-types.js';

/** The usual simple protocol: only faces of at least 16 px count. */
export const WIDER_MIN_FACE_SIZE = 16;

/**
 * Parses gt.txt text into photos with their boxes.
 *
 * @example
 *   parseWiderGroundTruth('a/b.jpg\n1\n10 20 30 40 0 0 0 0 0 0\n', 16);
 *   // [{ name: 'a/b.jpg', faces: [{ box: { x: 10, y: 20, width: 30, height: 40 }, ignore: false }] }]
 */
export function parseWiderGroundTruth(text: string, minFaceSize: number): { name: string; faces: TruthBox[] }[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const photos: { name: string; faces: TruthBox[] }[] = [];
  let i = 0;
  while (i < lines.length) {
    const name = lines[i++]!;
    const count = Number(lines[i++]);
    if (!Number.isInteger(count) || count < 0) throw new Error(`gt.txt: expected a face count after ${name} but found "${lines[i - 1]}"`);
    const faces: TruthBox[] = [];
    // A photo without faces still has one line of zeros.
    const rows = Math.max(count, 1);
    for (let k = 0; k < rows; k++) {
      const values = (lines[i++] ?? '').split(/\s+/).map(Number);
      if (values.length < 4 || values.some((v) => !Number.isFinite(v))) throw new Error(`gt.txt: bad box line for ${name}: "${lines[i - 1]}"`);
      if (count === 0) continue;
      const [x, y, width, height] = values as [number, number, number, number];
      const invalid = values[7] === 1;
      faces.push({ box: { x, y, width, height }, ignore: invalid || Math.max(width, height) < minFaceSize || width <= 0 || height <= 0 });
    }
    photos.push({ name, faces });
  }
  return photos;
}

/**
 * The WIDER-shaped folder at `root`.
 *
 * @example
 *   const photos = await readWiderFace('../shared/data/wider');
 *   photos[0].faces.filter((f) => !f.ignore).length; // faces that count
 */
export async function readWiderFace(root: string, minFaceSize = WIDER_MIN_FACE_SIZE): Promise<DetectionSample[]> {
  const gt = path.join(root, 'gt.txt');
  if (!existsSync(gt)) throw new Error(`${root} has no gt.txt (WIDER FACE ground truth)`);
  const images = existsSync(path.join(root, 'images')) ? path.join(root, 'images') : root;
  return parseWiderGroundTruth(await readFile(gt, 'utf8'), minFaceSize).map(({ name, faces }) => ({
    file: path.join(images, name),
    name,
    splitKey: name,
    faces,
  }));
}
