/**
 * `mouth`: open (lips apart) or closed, from the inner lips' gap over the
 * nose's length in the 68 landmarks (landmark-ratios.ts). Needs a profile
 * with a 68-point landmark model (all built-in profiles); absent otherwise.
 */
import { MOUTH_CURVE, mouthRatio } from './landmark-ratios.js';
import { openStateAttribute } from './open-state.js';

export const mouth = openStateAttribute({
  name: 'mouth',
  description: 'mouth open (lips apart) or closed, with the probability of that answer and the lip gap ratio it comes from',
  ratio: mouthRatio,
  curve: MOUTH_CURVE,
  columnPrefix: 'mouth',
  overlayOrder: 7,
  label: { en: 'mouth', 'zh-CN': '嘴巴' },
  line: { en: 'mouth {state}, {probability|%}%', 'zh-CN': '嘴巴{state}，{probability|%}%' },
  words: { en: { open: 'open', closed: 'closed' }, 'zh-CN': { open: '张开', closed: '闭着' } },
});
