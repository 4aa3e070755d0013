/**
 * `eyes`: open or closed, from the eye aspect ratio of the 68 landmarks
 * corrected for yaw (landmark-ratios.ts). Needs a profile with a 68-point
 * landmark model (all built-in profiles); absent otherwise.
 */
import { headPose } from './head-pose.js';
import { eyeRatio, EYES_CURVE } from './landmark-ratios.js';
import { openStateAttribute } from './open-state.js';

export const eyes = openStateAttribute({
  name: 'eyes',
  description: 'eyes open or closed, with the probability of that answer and the eye aspect ratio it comes from',
  ratio: (points68) => eyeRatio(points68, headPose(points68).yaw),
  curve: EYES_CURVE,
  columnPrefix: 'eyes',
  overlayOrder: 6,
  label: { en: 'eyes', 'zh-CN': '眼睛' },
  line: { en: 'eyes {state}, {probability|%}%', 'zh-CN': '眼睛{state}，{probability|%}%' },
  words: { en: { open: 'open', closed: 'closed' }, 'zh-CN': { open: '睁开', closed: '闭着' } },
});
