/**
 * Accuracy study for imported YuNet files (issue 14): WIDER AP50 of
 * FaceRead's YuNet runner (2023mar, 2022mar, yunet_n) and of OpenCV's own
 * `cv2.FaceDetectorYN` (2022mar, the one OpenCV 4.6 reads) on the same
 * photos at the same input sizes, for each cap on the longer side. No
 * timing here (see `npm run bench:detectors`). Needs ../shared and
 * Debian's python3-opencv; writes bench/results/onnx-detectors-ap-<time>.json.
 *
 *   node dist/bench/eval-onnx-detectors.js [dataRoot=../shared/data] [split=dev] [caps=640,800,1024,1280,1600] [minScore=0.3]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWiderFace } from '../src/eval/datasets/wider-face.js';
import { detectionReport, type DetectionOutcome } from '../src/eval/metrics/detection-metrics.js';
import { selectSplit, type SplitName } from '../src/eval/split.js';
import { decodeImage } from '../src/image/decode.js';
import { YUNET_NMS_IOU, YUNET_TOP_K } from '../src/pipeline/detectors/yunet-decode.js';
import { yunetDetector } from '../src/pipeline/detectors/yunet.js';
import type { Detection, RgbImage } from '../src/types.js';
import { openCvUnavailable } from '../test/helpers/opencv-dnn.js';
import { detectWithOpenCv } from '../test/helpers/opencv-faces.js';
import { PEER_FILES, peerModelsSkip, yunetSession } from '../test/helpers/peer-detectors.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const [dataRoot = path.resolve(ROOT, '../shared/data'), split = 'dev', capList = '640,800,1024,1280,1600', minScoreArg = '0.3'] = process.argv.slice(2);
const caps = capList.split(',').map(Number);
const minScore = Number(minScoreArg);
/** Photos handed to OpenCV per call (each is written to a temp file as raw RGB). */
const CHUNK = 20;

const FACEREAD_MODELS = [
  ['FaceRead YuNet 2023mar', PEER_FILES.yunet2023],
  ['FaceRead YuNet 2022mar', PEER_FILES.yunet2022],
  ['FaceRead yunet_n (libfacedetection)', PEER_FILES.yunetN],
] as const;

async function main() {
  const missing = peerModelsSkip() || openCvUnavailable();
  if (missing) throw new Error(`Cannot compare with OpenCV: ${missing}`);
  const samples = selectSplit(await readWiderFace(path.join(dataRoot, 'wider')), split as SplitName);
  const load = async (file: string): Promise<RgbImage> => (await decodeImage(await readFile(file), { maxPixels: 50e6, workingSide: 4096 })).image;
  const detectors = await Promise.all(FACEREAD_MODELS.map(async ([name, file]) => ({ name, session: await yunetSession(file, 2) })));
  const rows: { detector: string; cap: number; ap50: number; apSmall: number; apMedium: number; apLarge: number; faces: number }[] = [];
  for (const cap of caps) {
    const found = new Map<string, DetectionOutcome[]>([...detectors.map((d) => [d.name, []] as [string, DetectionOutcome[]]), ['OpenCV FaceDetectorYN 2022mar', []]]);
    for (let start = 0; start < samples.length; start += CHUNK) {
      const chunk = samples.slice(start, start + CHUNK);
      const images = await Promise.all(chunk.map((s) => load(s.file)));
      const inputs = [];
      for (const { name, session } of detectors) {
        const detector = yunetDetector({ maxSide: cap })(session);
        for (const [i, image] of images.entries()) {
          const detections: Detection[] = await detector.detect(image, { minScore, maxFaces: YUNET_TOP_K });
          found.get(name)!.push({ truth: chunk[i]!.faces, detections });
          if (name === detectors[0]!.name) inputs.push({ image, inputWidth: detector.lastInput!.width, inputHeight: detector.lastInput!.height });
        }
      }
      const reference = detectWithOpenCv({ family: 'yunet', model: PEER_FILES.yunet2022, scoreThreshold: minScore, nmsThreshold: YUNET_NMS_IOU, topK: YUNET_TOP_K, threads: 2 }, inputs);
      reference.photos.forEach(({ faces }, i) => found.get('OpenCV FaceDetectorYN 2022mar')!.push({ truth: chunk[i]!.faces, detections: faces.map((f) => ({ box: f, score: f.score })) }));
    }
    for (const [detector, outcomes] of found) {
      const { overall, bySize } = detectionReport(outcomes);
      rows.push({ detector, cap, ap50: overall.ap50, apSmall: bySize.small.ap50, apMedium: bySize.medium.ap50, apLarge: bySize.large.ap50, faces: overall.faces });
    }
  }
  console.log(`WIDER ${split}: ${samples.length} photos, faces of at least 16 px, detections scoring above ${minScore}, NMS IoU ${YUNET_NMS_IOU}`);
  console.log('| detector | cap (longer side) | AP50 | AP50 small | AP50 medium | AP50 large |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.detector} | ${r.cap} | ${r.ap50.toFixed(3)} | ${r.apSmall.toFixed(3)} | ${r.apMedium.toFixed(3)} | ${r.apLarge.toFixed(3)} |`);
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `onnx-detectors-ap-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ split, photos: samples.length, minScore, nmsIou: YUNET_NMS_IOU, rows }, null, 2));
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

await main();
