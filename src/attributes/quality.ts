/**
 * `quality`: whether a face is good enough for its age and gender to be
 * trusted, with the measures behind it (face-quality.ts) and the face's
 * size. `usable` is false with the first reason that applies, in this order:
 * `too-small`, `too-dark`, `too-bright`, `too-blurred`, `turned-too-far`.
 * The limits are stated below; they are starting points chosen on the sample
 * photos and their blurred and darkened copies, not fitted on labelled data.
 */
import type { AttributeDefinition } from './attribute-definition.js';
import { faceMeasures, type FaceMeasures } from './face-quality.js';
import { headPose } from './head-pose.js';

export const QUALITY_REASONS = ['too-small', 'too-dark', 'too-bright', 'too-blurred', 'turned-too-far'] as const;
export type QualityReason = (typeof QUALITY_REASONS)[number];

/** The limits `usable` checks. */
export const QUALITY_LIMITS = {
  /** The face's shorter side in the photo's pixels: the age/gender crops are 112 px, and below ~48 px they are mostly made up. */
  minFaceSize: 48,
  /** Mean grey level. */
  minBrightness: 40,
  maxBrightness: 220,
  /** Laplacian variance on the 96 px grid: the sample faces measure 60-400; blurred with sigma 2 of a 200 px face, about 10. */
  minSharpness: 15,
  /** Beyond these the far eye and cheek are hidden (head-pose.ts degrees). */
  maxYaw: 45,
  maxPitch: 35,
} as const;

export interface QualityResult extends FaceMeasures {
  /** The face's shorter side, in the photo's pixels. */
  faceSize: number;
  usable: boolean;
  reason?: QualityReason;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The first reason a face is not usable, or undefined. */
export function unusableReason(q: FaceMeasures & { faceSize: number }, turned?: { yaw: number; pitch: number }): QualityReason | undefined {
  const L = QUALITY_LIMITS;
  if (q.faceSize < L.minFaceSize) return 'too-small';
  if (q.brightness < L.minBrightness) return 'too-dark';
  if (q.brightness > L.maxBrightness) return 'too-bright';
  if (q.sharpness < L.minSharpness) return 'too-blurred';
  if (turned && (Math.abs(turned.yaw) > L.maxYaw || Math.abs(turned.pitch) > L.maxPitch)) return 'turned-too-far';
  return undefined;
}

/** The value before `toResult`: faceSize in the working image's pixels; `usable` is decided in the photo's. */
interface Measured extends QualityResult {
  turned?: { yaw: number; pitch: number };
}

export const quality: AttributeDefinition<'quality', QualityResult> = {
  name: 'quality',
  description: 'sharpness, brightness, contrast and size of the face, and whether it is usable for age and gender (with the reason when not)',
  byDefault: false,
  source: {
    kind: 'computed',
    needs: 'pixels',
    compute(face): Measured {
      const measures = faceMeasures(face.image, face.box);
      const faceSize = Math.min(face.box.width, face.box.height) * (face.pixelScale ?? 1);
      const value: Measured = { ...measures, faceSize, usable: true };
      // The refined points when `pose` is asked beside (they are found for it), so both agree.
      const points = face.refinedPoints68 ?? face.points68;
      if (points) {
        const { yaw, pitch } = headPose(points);
        value.turned = { yaw, pitch };
      }
      return value;
    },
  },
  schema: {
    type: 'object',
    properties: {
      sharpness: { type: 'number' },
      brightness: { type: 'number' },
      contrast: { type: 'number' },
      faceSize: { type: 'number' },
      usable: { type: 'boolean' },
      reason: { type: 'string', enum: [...QUALITY_REASONS] },
    },
  },
  toResult(value, scale) {
    const faceSize = round(value.faceSize * Math.min(scale.x, scale.y), 1);
    const measures = { sharpness: round(value.sharpness, 1), brightness: round(value.brightness, 1), contrast: round(value.contrast, 1) };
    const reason = unusableReason({ ...measures, faceSize }, (value as Measured).turned);
    return { ...measures, faceSize, usable: !reason, ...(reason ? { reason } : {}) };
  },
  csv: {
    columns: ['sharpness', 'brightness', 'contrast', 'face_size', 'usable', 'unusable_reason'],
    cells: (value) => (value ? [String(value.sharpness), String(value.brightness), String(value.contrast), String(value.faceSize), String(value.usable), value.reason ?? ''] : ['', '', '', '', '', '']),
  },
  table: (value) => (value ? (value.usable ? 'usable' : `not usable: ${value.reason}`).padEnd(26) : '-'.padEnd(26)),
  overlay: (value) => (value.usable ? 'usable' : value.reason!),
  overlayOrder: 5,
  label: { en: 'quality', 'zh-CN': '质量' },
  page: {
    lines: {
      en: ['{usable|term}{reason|term}', 'sharpness {sharpness|0}, brightness {brightness|0}, {faceSize|0} px'],
      'zh-CN': ['{usable|term}{reason|term}', '清晰度 {sharpness|0}，亮度 {brightness|0}，{faceSize|0} 像素'],
    },
    terms: {
      en: { true: 'usable', false: 'not usable: ', 'too-small': 'too small', 'too-dark': 'too dark', 'too-bright': 'too bright', 'too-blurred': 'too blurred', 'turned-too-far': 'turned too far' },
      'zh-CN': { true: '可用', false: '不可用：', 'too-small': '太小', 'too-dark': '太暗', 'too-bright': '太亮', 'too-blurred': '太模糊', 'turned-too-far': '转头太多' },
    },
  },
};
