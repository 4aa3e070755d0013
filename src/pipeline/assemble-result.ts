/**
 * Turns a worker's FaceAnalysis into the public result: coordinates scaled
 * from the working image to the original (oriented) photo and clamped to
 * it, numbers rounded to what is meaningful, timings added up.
 */
import type { AttributeDefinition } from '../attributes/attribute-definition.js';
import { ATTRIBUTE_DEFINITIONS, setAttributeValue } from '../attributes/registry.js';
import type { DecodedImage } from '../image/decode.js';
import type { AnalysisResult, FaceResult, Point } from '../types.js';
import type { FaceAnalysis } from './analyze-photo.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

type PhotoGeometry = Pick<DecodedImage, 'original' | 'scale'>;

function toOriginal(face: FaceResult, { scale, original }: PhotoGeometry): FaceResult {
  const x = Math.max(0, face.box.x * scale.x);
  const y = Math.max(0, face.box.y * scale.y);
  const result: FaceResult = {
    box: {
      x: round(x, 1),
      y: round(y, 1),
      width: round(Math.min(original.width, (face.box.x + face.box.width) * scale.x) - x, 1),
      height: round(Math.min(original.height, (face.box.y + face.box.height) * scale.y) - y, 1),
    },
    score: round(face.score, 4),
  };
  if (face.landmarks) result.landmarks = face.landmarks.map(([px, py]): Point => [round(px * scale.x, 1), round(py * scale.y, 1)]);
  for (const definition of ATTRIBUTE_DEFINITIONS) {
    const value = face[definition.name];
    if (value !== undefined) setAttributeValue(result, definition.name, (definition as AttributeDefinition).toResult(value, scale));
  }
  return result;
}

/**
 * @example assembleResult(decoded, analysis, { decodeMs: 12.3, totalMs: 61.2 })
 */
export function assembleResult(decoded: PhotoGeometry, analysis: FaceAnalysis, times: { decodeMs: number; totalMs: number }): AnalysisResult {
  return {
    image: decoded.original,
    faces: analysis.faces.map((face) => toOriginal(face, decoded)),
    timingsMs: {
      decode: round(times.decodeMs, 2),
      detect: round(analysis.detectMs, 2),
      attributes: round(analysis.attributesMs, 2),
      total: round(times.totalMs, 2),
    },
    models: analysis.models,
  };
}
