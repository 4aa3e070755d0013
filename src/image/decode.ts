/**
 * Turns uploaded bytes into RGB pixels with sharp: EXIF orientation applied,
 * first frame of animations, any colour space to sRGB, 8 bits a channel.
 * Bad input becomes a FaceReadError with the right code, and a pixel limit
 * checked on the header (before any decoding) stops decompression bombs.
 *
 * @example
 *   const { image, original, scale } = await decodeImage(bytes, { maxPixels: 50e6, workingSide: 1600 });
 *   // x in `image` pixels times scale.x is x in the original's pixels
 */
import type { Metadata, OutputInfo, Sharp as SharpPipeline } from 'sharp';
import { FaceReadError } from '../errors.js';
import type { RgbImage } from '../types.js';
import { isSrgbEquivalent } from './icc-profile.js';
import { loadSharp } from './load-sharp.js';

/** Formats FaceRead reads (sharp's names). SVG, PDF and the rest are refused as 415. */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'heif', 'gif', 'tiff'] as const;

export interface DecodeOptions {
  /** Refuse images with more pixels than this (width x height). */
  maxPixels: number;
  /** Downscale so the longer side is at most this many pixels (shrink-on-load); 0 keeps the full size. */
  workingSide: number;
  /**
   * The longer side the detector needs (its square input). A JPEG at least JPEG_SHRINK_RATIO
   * times larger is decoded smaller (see `reducedSide`), which libjpeg does at a fraction of the
   * cost of a full decode; faces too small in it are cropped from `decodeRegion` later.
   */
  detectorSide?: number;
}

/**
 * sharp decodes a JPEG at 1/2, 1/4 or 1/8 scale (shrink-on-load) only when the whole reduction is
 * at least 3x; below that it decodes in full and then resizes, which costs more than the full
 * decode alone (1920 px: 52 ms full, 51-56 ms resized to 800-1280, 22 ms at 640).
 */
export const JPEG_SHRINK_RATIO = 3;

/**
 * The side a reduced JPEG keeps where libjpeg's scales allow it, since faces are cropped from it:
 * a 1920 px photo is decoded at 640 (loaded at 1/2), where a group photo's faces (60-100 px) crop
 * within 0.06 years of age MAE of crops from the full photo, for no more than a 512 px decode
 * costs (docs/accuracy.md, "Reduced JPEG decode").
 */
export const REDUCED_DETAIL_SIDE = 640;

/**
 * libjpeg's load scales, cheapest first. sharp loads at 1/k only when the whole reduction is at
 * least k + 1 (it steps down one scale when the reduction rounds down to k), so the largest
 * side decoded at 1/k is floor(longSide / (k + 1)).
 */
const JPEG_LOAD_SCALES = [8, 4, 2] as const;

/** The side to decode a large JPEG at: the cheapest load scale keeping REDUCED_DETAIL_SIDE, else the 1/2 one. */
export function reducedSide(longSide: number, detectorSide: number): number {
  const wanted = Math.max(detectorSide, REDUCED_DETAIL_SIDE);
  for (const k of JPEG_LOAD_SCALES) {
    const side = Math.floor(longSide / (k + 1));
    if (side >= wanted) return side;
  }
  // At least the detector's side, since the photo is JPEG_SHRINK_RATIO (3) times larger.
  return Math.floor(longSide / 3);
}

export interface DecodedImage {
  /** The pixels the pipeline works on, possibly downscaled. */
  image: RgbImage;
  /** True when `image` was decoded smaller than the working side (see `reducedSide` and `decodeRegion`). */
  reduced: boolean;
  /** Size of the original image after EXIF orientation. */
  original: { width: number; height: number };
  /** Multiply working-image coordinates by these to get original pixels. */
  scale: { x: number; y: number };
  /** False when the photo has no ICC profile or an sRGB one (icc-profile.ts): sharp then skips its colour transform. */
  profileTransform: boolean;
}

function undecodable(reason: string, cause?: unknown): FaceReadError {
  return new FaceReadError('IMAGE_UNDECODABLE', `The image cannot be decoded: ${reason}`, { cause });
}

async function readHeader(bytes: Buffer, maxPixels: number): Promise<Metadata> {
  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (cause) {
    const message = (cause as Error).message;
    if (/unsupported image format/i.test(message)) {
      throw new FaceReadError('UNSUPPORTED_MEDIA_TYPE', `The file is not an image FaceRead reads. Should be one of: ${SUPPORTED_FORMATS.join(', ')}`, { cause });
    }
    throw undecodable(message, cause);
  }
  const format = metadata.format as string | undefined;
  if (!format || !(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
    throw new FaceReadError('UNSUPPORTED_MEDIA_TYPE', `Images of type ${format ?? 'unknown'} are not accepted. Should be one of: ${SUPPORTED_FORMATS.join(', ')}`);
  }
  const { width = 0, height = 0 } = metadata;
  if (width <= 0 || height <= 0) throw undecodable('the header gives no size');
  if (width * height > maxPixels) {
    throw new FaceReadError('IMAGE_TOO_MANY_PIXELS', `The image is ${width}x${height} = ${width * height} pixels, more than the limit of ${maxPixels}`);
  }
  return metadata;
}

/** The longer side to decode at: a reduced side for large JPEGs, else the working side (0: full size). */
function decodeSide(format: string | undefined, longSide: number, options: DecodeOptions): { side: number; reduced: boolean } {
  const working = options.workingSide > 0 && longSide > options.workingSide ? options.workingSide : 0;
  const detector = options.detectorSide ?? 0;
  if (format === 'jpeg' && detector > 0 && longSide >= detector * JPEG_SHRINK_RATIO) return { side: reducedSide(longSide, detector), reduced: true };
  return { side: working, reduced: false };
}

/** Runs a sharp pipeline to 8-bit sRGB pixels, turning its failures into FaceReadErrors. */
async function toRgb(pipeline: SharpPipeline, maxPixels: number): Promise<RgbImage> {
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await pipeline.toColourspace('srgb').removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (cause) {
    const message = (cause as Error).message;
    if (/pixel limit/i.test(message)) {
      throw new FaceReadError('IMAGE_TOO_MANY_PIXELS', `The image has more pixels than the limit of ${maxPixels}`, { cause });
    }
    throw undecodable(message, cause);
  }
  const { info, data } = raw;
  if (info.channels !== 3) throw undecodable(`expected 3 colour channels after conversion, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Decodes `bytes` (any supported format) to oriented 8-bit RGB, downscaled to `workingSide` (or a reduced side, see `reducedSide`). */
export async function decodeImage(bytes: Buffer, options: DecodeOptions): Promise<DecodedImage> {
  if (bytes.length === 0) throw undecodable('the file is empty');
  const metadata = await readHeader(bytes, options.maxPixels);
  // EXIF orientations 5-8 turn the image a quarter, swapping its sides.
  const swapped = (metadata.orientation ?? 1) >= 5;
  const original = swapped ? { width: metadata.height!, height: metadata.width! } : { width: metadata.width!, height: metadata.height! };
  const { side, reduced } = decodeSide(metadata.format, Math.max(original.width, original.height), options);

  const profileTransform = metadata.icc !== undefined && !isSrgbEquivalent(metadata.icc);

  const sharp = await loadSharp();
  let pipeline = sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'error', pages: 1, ignoreIcc: !profileTransform }).rotate();
  if (side > 0) pipeline = pipeline.resize({ width: side, height: side, fit: 'inside' });
  const image = await toRgb(pipeline, options.maxPixels);
  return { image, reduced, original, scale: { x: original.width / image.width, y: original.height / image.height }, profileTransform };
}

/**
 * A rectangle of the photo (in `decoded.original`'s pixels, whole numbers) at the working
 * resolution: where faces too small in a reduced image are cropped from. Only the rows down
 * to the rectangle's bottom are decoded.
 *
 * @example
 *   const band = await decodeRegion(bytes, decoded, { x: 400, y: 300, width: 600, height: 400 }, options);
 *   // band.image is 600x400 (smaller for photos beyond the working side); band.scale maps it to original pixels
 */
export async function decodeRegion(
  bytes: Buffer,
  decoded: Pick<DecodedImage, 'original' | 'profileTransform'>,
  region: { x: number; y: number; width: number; height: number },
  options: DecodeOptions,
): Promise<{ image: RgbImage; scale: number }> {
  const sharp = await loadSharp();
  const longSide = Math.max(decoded.original.width, decoded.original.height);
  const scale = options.workingSide > 0 && longSide > options.workingSide ? longSide / options.workingSide : 1;
  let pipeline = sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'error', pages: 1, ignoreIcc: !decoded.profileTransform })
    .rotate()
    .extract({ left: region.x, top: region.y, width: region.width, height: region.height });
  if (scale > 1) pipeline = pipeline.resize({ width: Math.max(1, Math.round(region.width / scale)), height: Math.max(1, Math.round(region.height / scale)), fit: 'fill' });
  const image = await toRgb(pipeline, options.maxPixels);
  return { image, scale: region.width / image.width };
}
