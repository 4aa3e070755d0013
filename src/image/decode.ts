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
import type { Metadata, OutputInfo } from 'sharp';
import { FaceReadError } from '../errors.js';
import type { RgbImage } from '../types.js';
import { loadSharp } from './load-sharp.js';

/** Formats FaceRead reads (sharp's names). SVG, PDF and the rest are refused as 415. */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'heif', 'gif', 'tiff'] as const;

export interface DecodeOptions {
  /** Refuse images with more pixels than this (width x height). */
  maxPixels: number;
  /** Downscale so the longer side is at most this many pixels (shrink-on-load); 0 keeps the full size. */
  workingSide: number;
}

export interface DecodedImage {
  /** The pixels the pipeline works on, possibly downscaled. */
  image: RgbImage;
  /** Size of the original image after EXIF orientation. */
  original: { width: number; height: number };
  /** Multiply working-image coordinates by these to get original pixels. */
  scale: { x: number; y: number };
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

/** Decodes `bytes` (any supported format) to oriented 8-bit RGB, downscaled to `workingSide`. */
export async function decodeImage(bytes: Buffer, options: DecodeOptions): Promise<DecodedImage> {
  if (bytes.length === 0) throw undecodable('the file is empty');
  const metadata = await readHeader(bytes, options.maxPixels);
  // EXIF orientations 5-8 turn the image a quarter, swapping its sides.
  const swapped = (metadata.orientation ?? 1) >= 5;
  const original = swapped ? { width: metadata.height!, height: metadata.width! } : { width: metadata.width!, height: metadata.height! };
  const longSide = Math.max(original.width, original.height);
  const shrink = options.workingSide > 0 && longSide > options.workingSide;

  const sharp = await loadSharp();
  let pipeline = sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'error', pages: 1 }).rotate();
  if (shrink) pipeline = pipeline.resize({ width: options.workingSide, height: options.workingSide, fit: 'inside' });
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await pipeline.toColourspace('srgb').removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (cause) {
    const message = (cause as Error).message;
    if (/pixel limit/i.test(message)) {
      throw new FaceReadError('IMAGE_TOO_MANY_PIXELS', `The image has more pixels than the limit of ${options.maxPixels}`, { cause });
    }
    throw undecodable(message, cause);
  }
  const { info, data } = raw;
  if (info.channels !== 3) throw undecodable(`expected 3 colour channels after conversion, got ${info.channels}`);
  return {
    image: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height },
    original,
    scale: { x: original.width / info.width, y: original.height / info.height },
  };
}
