/**
 * Runs a worker's whole pipeline once on a made-up photo, so that the first
 * real photo does not pay the first-run costs: sharp and libvips loading and
 * warming up, onnxruntime's first run of each network (its arena, its kernels
 * for these shapes) and the JIT of the crop loops. On the test machine the
 * first photo after start took ~310 ms against ~90 for the next ones.
 *
 * The photo is plain grey (it takes a camera photo's decode path, and the
 * detector runs on it as on any photo); since it has no face, the faces
 * stages run on boxes placed on it, through the same `analyzeFaces` a photo
 * goes through.
 *
 * @example
 *   await warmPipeline(runners, { maxPixels: 50e6, workingSide: 1600, detectorSide: 512 }, oneAtATime(), () => false);
 */
import { decodeImage, type DecodeOptions } from '../image/decode.js';
import { loadSharp } from '../image/load-sharp.js';
import { DEFAULT_ANALYZE_OPTIONS } from '../pipeline/analyze-options.js';
import { analyzeFaces, type LoadedRunners } from '../pipeline/analyze-photo.js';
import type { DetectorChain } from '../pipeline/detectors/detector-chain.js';

/** Faces on the made-up photo: batches up to this size are then warm. */
const WARM_FACES = 6;

/** Large enough to be decoded reduced, as a camera photo is (1920 px: see decode.ts). */
const PHOTO = { width: 1920, height: 1280 };

/** A plain grey JPEG: cheap to make and to decode, while taking the same decode path as a camera photo. */
async function greyPhoto(): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp({ create: { ...PHOTO, channels: 3, background: { r: 128, g: 128, b: 128 } } }).jpeg().toBuffer();
}

/**
 * Each stage takes its own turn (`inTurn`, the worker's queue of one), so a photo that arrives
 * during the warm-up waits for one stage at most; once a photo has come (`photoCame`), the stages
 * left are skipped: that photo warms what is still cold.
 */
export async function warmPipeline(
  runners: LoadedRunners,
  decode: DecodeOptions,
  inTurn: <T>(stage: () => Promise<T>) => Promise<T>,
  photoCame: () => boolean,
): Promise<void> {
  const stage = <T>(run: () => Promise<T>) => inTurn(async () => (photoCame() ? undefined : run()));
  const { image } = await decodeImage(await greyPhoto(), decode);
  const options = { minScore: DEFAULT_ANALYZE_OPTIONS.minScore, maxFaces: DEFAULT_ANALYZE_OPTIONS.maxFaces };
  await stage(() => runners.detector.detectWithLink(image, options));
  // Face boxes as if the detector had found them: one first (each network's first run), then several,
  // since onnxruntime's first run at a larger batch pays again (its arena grows).
  const side = Math.round(Math.min(image.width, image.height) / 5);
  const faces = Array.from({ length: WARM_FACES }, (_, i) => ({
    box: { x: side * (0.5 + 1.5 * (i % 3)), y: side * (0.5 + 1.5 * Math.floor(i / 3)), width: side, height: side },
    score: 1,
  }));
  for (const found of [faces.slice(0, 1), faces]) {
    const detector: DetectorChain = { links: runners.detector.links, detect: async () => found, detectWithLink: async () => ({ faces: found, link: null, model: null }) };
    await stage(() => analyzeFaces({ image }, DEFAULT_ANALYZE_OPTIONS, { ...runners, detector }));
  }
}
