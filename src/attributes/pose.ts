/**
 * `pose`: where the head points, as yaw, pitch and roll in degrees, from
 * the landmark model's 68 points (head-pose.ts states the model points and
 * the signs), refined where the model can (runner-types.ts `refine68`: a
 * mirrored photo then gives the same pitch within 2 degrees on the sample
 * photos, against 10 from the first points). Needs a profile with a
 * 68-point landmark model (all built-in profiles); absent otherwise.
 */
import { wrapDegrees } from '../pipeline/level-faces.js';
import type { AttributeDefinition } from './attribute-definition.js';
import { headPose, type HeadPose } from './head-pose.js';

const round1 = (value: number) => Math.round(value * 10) / 10;

export const pose: AttributeDefinition<'pose', HeadPose> = {
  name: 'pose',
  description: 'head pose in degrees: yaw (> 0: nose to the image right), pitch (> 0: looking up), roll (> 0: turned clockwise)',
  byDefault: false,
  source: {
    kind: 'computed',
    needs: 'refinedLandmarks68',
    compute(face) {
      const points = face.refinedPoints68 ?? face.points68;
      if (!points) return undefined;
      const found = headPose(points);
      return { ...found, roll: wrapDegrees(found.roll + face.roll) };
    },
  },
  schema: {
    type: 'object',
    properties: { yaw: { type: 'number' }, pitch: { type: 'number' }, roll: { type: 'number' } },
  },
  toResult: (value) => ({ yaw: round1(value.yaw), pitch: round1(value.pitch), roll: round1(value.roll) }),
  csv: { columns: ['yaw', 'pitch', 'roll'], cells: (value) => (value ? [String(value.yaw), String(value.pitch), String(value.roll)] : ['', '', '']) },
  table: (value) => (value ? `yaw ${value.yaw.toFixed(0).padStart(4)} pitch ${value.pitch.toFixed(0).padStart(4)} roll ${value.roll.toFixed(0).padStart(4)}` : '-'.padEnd(29)),
  overlay: (value) => `yaw ${Math.round(value.yaw)}° pitch ${Math.round(value.pitch)}°`,
  overlayOrder: 4,
  label: { en: 'head pose', 'zh-CN': '头部姿态' },
  page: {
    lines: {
      en: ['yaw {yaw|0}°, pitch {pitch|0}°, roll {roll|0}°'],
      'zh-CN': ['偏航 {yaw|0}°，俯仰 {pitch|0}°，翻滚 {roll|0}°'],
    },
  },
};
