/**
 * Hostile and unusual image files, made by hand or with sharp: a PNG whose
 * header declares 50,000 x 50,000 pixels in a few dozen bytes, JPEGs with
 * patched sizes or megabytes of EXIF, SVG and PDF, images with a valid
 * magic number and random bytes behind it, and legitimate but awkward
 * images (1x1, 65535x1, CMYK, 16-bit, palette, animated, rotated by EXIF).
 */
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import type { SeededRandom } from './seeded-random.js';

/** One input of the fuzzer: the bytes and the content type an HTTP client would send them with. */
export interface FuzzFile {
  name: string;
  bytes: Buffer;
  contentType: string;
}

const SAMPLE_PATH = (n: number) => `node_modules/@vladmandic/face-api/demo/sample${n}.jpg`;

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A PNG that declares `width` x `height` RGB pixels but holds only a few rows of
 * zeros: a decoder that trusts the header allocates gigabytes (a "bomb").
 */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  // At most 64 KB of rows: the point is the header, not the data.
  const someRows = deflateSync(Buffer.alloc(Math.min(65_536, Math.min(4, height) * (1 + width * 3))));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', someRows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Offset of a JPEG's SOFn segment, or -1. */
function sofOffset(jpeg: Buffer): number {
  let i = 2;
  while (i + 4 < jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return i;
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return -1;
}

/** The JPEG with its frame header patched to claim another size (the data stays as it was). */
export function jpegClaimingSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  const at = sofOffset(out);
  if (at < 0) return out;
  out.writeUInt16BE(height, at + 5);
  out.writeUInt16BE(width, at + 7);
  return out;
}

/** The JPEG with `segments` APP1 "Exif" blocks of 64 KB each inserted after SOI (a broken TIFF header inside). */
export function jpegWithHugeExif(jpeg: Buffer, segments: number, random: SeededRandom): Buffer {
  const blocks: Buffer[] = [];
  for (let s = 0; s < segments; s++) {
    const body = Buffer.concat([Buffer.from('Exif\0\0II*\0\x08\0\0\0', 'latin1'), random.bytes(65_533 - 2 - 14)]);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    blocks.push(head, body);
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...blocks, jpeg.subarray(2)]);
}

export const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><circle cx="320" cy="240" r="100" fill="tan"/></svg>',
);

export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/MediaBox[0 0 612 792]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Magic numbers of the formats sharp knows, and of a few it must refuse. */
export const MAGIC_NUMBERS: readonly { name: string; bytes: Buffer; contentType: string }[] = [
  { name: 'jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0]), contentType: 'image/jpeg' },
  { name: 'png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), contentType: 'image/png' },
  { name: 'gif', bytes: Buffer.from('GIF89a'), contentType: 'image/gif' },
  { name: 'webp', bytes: Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'), contentType: 'image/webp' },
  { name: 'tiff', bytes: Buffer.from([0x49, 0x49, 0x2a, 0x00]), contentType: 'image/tiff' },
  { name: 'avif', bytes: Buffer.from('\0\0\0\x1cftypavif\0\0\0\0avifmif1', 'latin1'), contentType: 'image/avif' },
  { name: 'svg', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" '), contentType: 'image/svg+xml' },
  { name: 'pdf', bytes: Buffer.from('%PDF-1.7\n'), contentType: 'application/pdf' },
];

export function randomWithMagic(random: SeededRandom): FuzzFile {
  const magic = random.pick(MAGIC_NUMBERS);
  return { name: `random bytes behind ${magic.name} magic`, bytes: Buffer.concat([magic.bytes, random.bytes(random.int(0, 4096))]), contentType: magic.contentType };
}

/** Well-formed images in every accepted format, small (320 px) so a fuzz case costs little: the seeds mutations start from. */
export async function formatSeeds(): Promise<FuzzFile[]> {
  const small = await sharp(readFileSync(SAMPLE_PATH(1))).resize({ width: 320 }).toBuffer();
  const make = async (name: string, contentType: string, build: (image: Sharp) => Sharp) => ({
    name,
    contentType,
    bytes: await build(sharp(small)).toBuffer(),
  });
  return Promise.all([
    make('jpeg', 'image/jpeg', (s) => s.jpeg({ quality: 80 })),
    make('progressive jpeg', 'image/jpeg', (s) => s.jpeg({ progressive: true })),
    make('png', 'image/png', (s) => s.png()),
    make('webp', 'image/webp', (s) => s.webp()),
    make('gif', 'image/gif', (s) => s.gif()),
    make('tiff', 'image/tiff', (s) => s.tiff({ compression: 'lzw' })),
    make('avif', 'image/avif', (s) => s.avif({ effort: 0 })),
  ]);
}

/** Legitimate but awkward images: every one must decode (or be refused with a 4xx), never crash anything. */
export async function awkwardImages(): Promise<FuzzFile[]> {
  const photo = readFileSync(SAMPLE_PATH(2));
  const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 150, b: 120 } } });
  const frame = (hue: number) => sharp({ create: { width: 64, height: 48, channels: 3, background: { r: hue, g: 90, b: 200 - hue } } }).png().toBuffer();
  const frames = await Promise.all([0, 80, 160].map(frame));
  const animated = (format: 'gif' | 'webp') => sharp(frames, { join: { animated: true } }).toFormat(format).toBuffer();
  const file = async (name: string, contentType: string, bytes: Promise<Buffer>) => ({ name, contentType, bytes: await bytes });
  return Promise.all([
    file('1x1 png', 'image/png', solid(1, 1).png().toBuffer()),
    file('65535x1 png', 'image/png', solid(65535, 1).png().toBuffer()),
    file('1x65535 png', 'image/png', solid(1, 65535).png().toBuffer()),
    file('cmyk jpeg', 'image/jpeg', sharp(photo).resize({ width: 640 }).toColourspace('cmyk').jpeg().toBuffer()),
    file('16-bit png', 'image/png', sharp(photo).resize({ width: 640 }).toColourspace('rgb16').png().toBuffer()),
    file('palette png', 'image/png', sharp(photo).resize({ width: 640 }).png({ palette: true, colours: 16 }).toBuffer()),
    file('grey png with alpha', 'image/png', sharp(photo).resize({ width: 640 }).greyscale().ensureAlpha().png().toBuffer()),
    file('animated gif', 'image/gif', animated('gif')),
    file('animated webp', 'image/webp', animated('webp')),
    file('jpeg rotated by exif (6)', 'image/jpeg', sharp(photo).resize({ width: 640 }).withMetadata({ orientation: 6 }).jpeg().toBuffer()),
    file('jpeg with exif orientation 9', 'image/jpeg', sharp(photo).resize({ width: 640 }).withMetadata({ orientation: 8 }).jpeg().toBuffer().then(patchOrientation)),
  ]);
}

/** Rewrites the EXIF orientation value 8 to 9 (outside the allowed 1..8). */
function patchOrientation(jpeg: Buffer): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 0; i + 10 < out.length; i++) {
    // Little- or big-endian IFD entry: tag 0x0112, type SHORT, count 1, value 8.
    if (out[i] === 0x12 && out[i + 1] === 0x01 && out[i + 2] === 3 && out[i + 8] === 8) out[i + 8] = 9;
    if (out[i] === 0x01 && out[i + 1] === 0x12 && out[i + 3] === 3 && out[i + 9] === 8) out[i + 9] = 9;
  }
  return out;
}

/** The crafted hostile files (beyond the mutations). */
export function hostileFiles(jpegSeed: Buffer, random: SeededRandom): FuzzFile[] {
  return [
    { name: 'zero bytes', bytes: Buffer.alloc(0), contentType: 'image/jpeg' },
    { name: 'zeros', bytes: Buffer.alloc(4096), contentType: 'image/jpeg' },
    { name: 'png bomb 50000x50000', bytes: pngBomb(50_000, 50_000), contentType: 'image/png' },
    { name: 'png bomb 65535x65535', bytes: pngBomb(65_535, 65_535), contentType: 'image/png' },
    { name: 'png claiming 2^31 wide', bytes: pngBomb(2 ** 31 - 1, 1), contentType: 'image/png' },
    { name: 'png claiming 7000x7000 (under 50M px, data missing)', bytes: pngBomb(7000, 7000), contentType: 'image/png' },
    { name: 'jpeg claiming 65500x65500', bytes: jpegClaimingSize(jpegSeed, 65_500, 65_500), contentType: 'image/jpeg' },
    { name: 'jpeg claiming 0x0', bytes: jpegClaimingSize(jpegSeed, 0, 0), contentType: 'image/jpeg' },
    { name: 'jpeg claiming 7000x7000', bytes: jpegClaimingSize(jpegSeed, 7000, 7000), contentType: 'image/jpeg' },
    { name: 'jpeg with 6 MB of exif', bytes: jpegWithHugeExif(jpegSeed, 96, random), contentType: 'image/jpeg' },
    { name: 'svg', bytes: SVG, contentType: 'image/svg+xml' },
    { name: 'svg sent as jpeg', bytes: SVG, contentType: 'image/jpeg' },
    { name: 'pdf', bytes: PDF, contentType: 'image/jpeg' },
    { name: 'jpeg truncated to its header', bytes: jpegSeed.subarray(0, 600), contentType: 'image/jpeg' },
  ];
}
