/**
 * A face detector made of face detectors tried in turn: the next one runs
 * only when the one before found nothing. Scene detectors (face-api's SSD)
 * miss faces that fill the frame; a detector trained on close faces
 * (BlazeFace) finds them, but answers differently on the faces the first one
 * does find, so it only speaks when the first is silent. Each link may ask
 * for a higher minimum score than the caller's (a fallback that sees every
 * faceless photo must be surer of a face than the first detector).
 */
import type { Box, Detection, RgbImage } from '../../types.js';
import type { DetectOptions, FaceDetector } from '../runner-types.js';
import { borderRetryDetector, RETRY_BORDER_FRACTIONS } from './padded-retry.js';

export interface ChainLink {
  /** Names the link (a model id, or `<id>+border` for the border retry): `detectWithLink` reports it. */
  id: string;
  /** The model whose runner the link uses (default: the id), which results name. */
  model?: string;
  detector: FaceDetector;
  /** This link keeps only faces scoring at least this much, even when the caller asks for less. */
  minScore?: number;
}

export interface DetectorChain extends FaceDetector {
  readonly links: readonly ChainLink[];
  /**
   * The faces, and the id and model of the link that found them (null when none did); `input`, for
   * detectors that choose their input per photo, the [width, height] the answering link (else the
   * first) ran the photo at.
   */
  detectWithLink(image: RgbImage, options: DetectOptions): Promise<{ faces: Detection[]; link: string | null; model: string | null; input?: [number, number] }>;
}

/** `box` cut to the photo (zero-sized when wholly outside). */
export function clampBox(box: Box, image: RgbImage): Box {
  const x1 = Math.max(0, box.x);
  const y1 = Math.max(0, box.y);
  const x2 = Math.min(image.width, box.x + box.width);
  const y2 = Math.min(image.height, box.y + box.height);
  return { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) };
}

/**
 * What one link found, held to the chain's contract whatever the link does:
 * scores at least `minScore`, boxes clamped to the photo (empty ones
 * dropped), highest score first, at most `maxFaces`.
 */
function tidy(found: readonly Detection[], image: RgbImage, { minScore, maxFaces }: DetectOptions): Detection[] {
  return found
    .filter((face) => face.score >= minScore)
    .map((face) => ({ ...face, box: clampBox(face.box, image) }))
    .filter((face) => face.box.width > 0 && face.box.height > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, maxFaces);
}

/**
 * The side the chain's detectors need, for the reduced decode: the largest
 * of the links' sides, or unset (the working side) when any link needs the
 * photo as it is.
 */
function chainInputSide(links: readonly ChainLink[]): number | undefined {
  const sides = links.map((link) => link.detector.inputSide);
  return sides.every((side): side is number => side !== undefined) ? Math.max(...sides) : undefined;
}

/**
 * @example
 *   const detector = detectorChain([
 *     { id: 'faceapi-ssd-mobilenetv1', detector: ssd },
 *     { id: 'blazeface-back', detector: blazeface, minScore: 0.75 },
 *   ]);
 *   const faces = await detector.detect(image, { minScore: 0.5, maxFaces: 100 });
 */
export function detectorChain(links: readonly ChainLink[]): DetectorChain {
  if (links.length === 0) throw new RangeError('A detector chain needs at least one detector');
  const inputSide = chainInputSide(links);
  const detectWithLink = async (image: RgbImage, options: DetectOptions) => {
    let firstInput: [number, number] | undefined;
    for (const [k, link] of links.entries()) {
      const linkOptions = { minScore: Math.max(options.minScore, link.minScore ?? 0), maxFaces: options.maxFaces };
      const faces = tidy(await link.detector.detect(image, linkOptions), image, linkOptions);
      // Read right after the run: a worker runs one photo's networks at a time (src/engine/one-at-a-time.ts).
      const last = link.detector.lastInput;
      const input: [number, number] | undefined = last ? [last.paddedWidth, last.paddedHeight] : undefined;
      if (k === 0) firstInput = input;
      if (faces.length > 0) return { faces, link: link.id, model: link.model ?? link.id, ...(input ? { input } : {}) };
    }
    return { faces: [], link: null, model: null, ...(firstInput ? { input: firstInput } : {}) };
  };
  return {
    links,
    ...(inputSide === undefined ? {} : { inputSide }),
    detectWithLink,
    detect: async (image, options) => (await detectWithLink(image, options)).faces,
  };
}

/** A link as a profile names it: a detector model, looking at the photo as it is or inside borders, with its own min score. */
export interface ChainLinkSpec {
  model: string;
  /** Look at the photo inside each of these borders in turn (fractions of its longer side) instead of as it is. */
  borders?: readonly number[];
  minScore?: number;
}

/**
 * The chain a profile describes, over one loaded detector per model (a
 * model named twice, as the border retry does, shares its runner).
 *
 * @example
 *   chainFromSpec(
 *     [{ model: 'faceapi-ssd-mobilenetv1' }, { model: 'faceapi-ssd-mobilenetv1', borders: [0.25, 0.625] }, { model: 'human-blazeface-back', borders: [0.25], minScore: 0.75 }],
 *     (id) => runners.get(id)!,
 *   );
 */
export function chainFromSpec(spec: readonly ChainLinkSpec[], detectorFor: (model: string) => FaceDetector): DetectorChain {
  return detectorChain(
    spec.map(({ model, borders, minScore }) => ({
      id: borders ? `${model}+border` : model,
      model,
      detector: borders ? borderRetryDetector(detectorFor(model), borders) : detectorFor(model),
      ...(minScore === undefined ? {} : { minScore }),
    })),
  );
}

/** How a detector looks at a photo in a chain (profiles set it per model: src/models/kinds.ts DETECTOR_OPTIONS). */
export type DetectorLook = 'as-is' | 'retry' | 'border';

/** The border a detector set to look 'border' sees the photo in (the close-up fallback's, docs/accuracy.md). */
export const LOOK_BORDER_FRACTIONS = [0.25] as const;

/**
 * The links one detector makes: the photo as it is ('as-is'), then in the retry borders when it
 * found nothing ('retry'), or only in a border ('border').
 */
export function linksOf(model: string, look: DetectorLook, minScore?: number): ChainLinkSpec[] {
  const own = minScore === undefined ? {} : { minScore };
  if (look === 'border') return [{ model, borders: LOOK_BORDER_FRACTIONS, ...own }];
  const asIs: ChainLinkSpec = { model, ...own };
  return look === 'retry' ? [asIs, { model, borders: RETRY_BORDER_FRACTIONS, ...own }] : [asIs];
}
