/**
 * Photos without faces, made at run time (never stored): for counting the
 * false faces a detector chain adds, since its fallback runs on exactly
 * these. Three kinds:
 * - scenes: face-api's six sample photos and WIDER photos, every face
 *   blanked (a flat patch of its own mean colour over the face box grown to
 *   take in hair and chin). Sample photos are blanked where SSD finds faces
 *   (their count checked against the known one), WIDER photos over every
 *   labelled box, small and invalid ones too; never where the fallback
 *   under study fires, which would hide its false faces.
 * - tiles: crops of those scenes, a quarter to two thirds of the shorter
 *   side, framed as a close-up would be (where the first detector finds
 *   nothing and the fallback runs).
 * - plain: flat colours, gradients, stripes and noise.
 */
import type { Box, RgbImage } from '../src/types.js';

export interface FacelessPhoto {
  name: string;
  kind: 'scene' | 'tile' | 'plain';
  image: RgbImage;
}

/** A face box grown to cover hair, ears and chin: 1.6x wide, 1.8x high, shifted up a little. */
export function blanketFor(face: Box): Box {
  const width = face.width * 1.6;
  const height = face.height * 1.8;
  return { x: face.x + face.width / 2 - width / 2, y: face.y + face.height * 0.4 - height / 2, width, height };
}

/** A copy of `image` with each box (clamped) filled with that box's mean colour. */
export function blankBoxes(image: RgbImage, boxes: readonly Box[]): RgbImage {
  const data = Uint8Array.from(image.data);
  for (const box of boxes) {
    const x1 = Math.max(0, Math.floor(box.x));
    const y1 = Math.max(0, Math.floor(box.y));
    const x2 = Math.min(image.width, Math.ceil(box.x + box.width));
    const y2 = Math.min(image.height, Math.ceil(box.y + box.height));
    if (x2 <= x1 || y2 <= y1) continue;
    const sum = [0, 0, 0];
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) for (let c = 0; c < 3; c++) sum[c]! += data[(y * image.width + x) * 3 + c]!;
    const mean = sum.map((s) => Math.round(s / ((x2 - x1) * (y2 - y1))));
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) data.set(mean, (y * image.width + x) * 3);
  }
  return { data, width: image.width, height: image.height };
}

/** A deterministic pseudo-random source (mulberry32), so the set is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function cropImage(image: RgbImage, x: number, y: number, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) data.set(image.data.subarray(((y + row) * image.width + x) * 3, ((y + row) * image.width + x + width) * 3), row * width * 3);
  return { data, width, height };
}

/** `count` square-ish crops of `image`, each side a quarter to two thirds of its shorter side. */
export function tilesOf(image: RgbImage, count: number, random: () => number): RgbImage[] {
  const shorter = Math.min(image.width, image.height);
  return Array.from({ length: count }, () => {
    const width = Math.round(shorter * (0.25 + random() * 0.42));
    const height = Math.min(image.height, Math.round(width * (0.9 + random() * 0.4)));
    return cropImage(image, Math.floor(random() * (image.width - width + 1)), Math.floor(random() * (image.height - height + 1)), width, height);
  });
}

/** Flat colours, gradients, stripes and noise, `side` pixels square. */
export function plainScenes(side: number, random: () => number): FacelessPhoto[] {
  const make = (name: string, pixel: (x: number, y: number) => [number, number, number]): FacelessPhoto => {
    const data = new Uint8Array(side * side * 3);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) data.set(pixel(x / side, y / side), (y * side + x) * 3);
    return { name, kind: 'plain', image: { data, width: side, height: side } };
  };
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return [
    make('black', () => [0, 0, 0]),
    make('grey', () => [128, 128, 128]),
    make('white', () => [255, 255, 255]),
    make('skin tone', () => [224, 172, 140]),
    make('sky gradient', (_, y) => [clamp(90 + 120 * y), clamp(150 + 80 * y), 235]),
    make('sunset gradient', (x, y) => [clamp(250 - 60 * y), clamp(120 + 80 * x), clamp(60 + 100 * y)]),
    make('radial', (x, y) => {
      const v = clamp(255 - 300 * Math.hypot(x - 0.5, y - 0.5));
      return [v, clamp(v * 0.8), clamp(v * 0.7)];
    }),
    make('stripes', (x) => (Math.floor(x * 12) % 2 ? [200, 200, 200] : [40, 40, 40])),
    make('checkerboard', (x, y) => ((Math.floor(x * 8) + Math.floor(y * 8)) % 2 ? [230, 230, 230] : [20, 20, 20])),
    make('noise', () => [clamp(random() * 256), clamp(random() * 256), clamp(random() * 256)]),
    make('grey noise', () => {
      const v = clamp(100 + random() * 60);
      return [v, v, v];
    }),
    make('skin noise', () => [clamp(200 + random() * 50), clamp(150 + random() * 40), clamp(120 + random() * 40)]),
  ];
}
