/**
 * A tiny Y4M (YUV4MPEG2, 4:2:0) writer, so Chromium's fake camera
 * (`--use-file-for-fake-video-capture`) can play a sample photo.
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';

/** RGB pixels to planar YUV 4:2:0 (BT.601 full range, as JPEG uses), chroma averaged over 2x2 blocks. */
export function rgbToI420(rgb: Uint8Array, width: number, height: number): Buffer {
  if (width % 2 || height % 2) throw new RangeError(`Expected even width and height but received ${width}x${height}`);
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc(u.length);
  const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = (row * width + col) * 3;
      y[row * width + col] = clamp(0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!);
    }
  }
  for (let row = 0; row < height; row += 2) {
    for (let col = 0; col < width; col += 2) {
      let r = 0, g = 0, b = 0;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
        const i = ((row + dy) * width + col + dx) * 3;
        r += rgb[i]!; g += rgb[i + 1]!; b += rgb[i + 2]!;
      }
      r /= 4; g /= 4; b /= 4;
      const j = (row / 2) * (width / 2) + col / 2;
      u[j] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      v[j] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  return Buffer.concat([y, u, v]);
}

/** Writes `photo` (any sharp input) as a Y4M video of `frames` identical frames of width x height. */
export async function writeY4m(path: string, photo: Buffer | string, width = 640, height = 480, frames = 2): Promise<void> {
  const { data } = await sharp(photo).rotate().resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const frame = rgbToI420(data, width, height);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const chunks: Buffer[] = [header];
  for (let i = 0; i < frames; i++) chunks.push(Buffer.from('FRAME\n'), frame);
  await writeFile(path, Buffer.concat(chunks));
}
