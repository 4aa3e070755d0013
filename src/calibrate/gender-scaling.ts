/**
 * Platt scaling of the gender probability: p' = sigmoid(scale * logit(p) +
 * shift), p the model's probability of `male`, fitted by Newton's method on
 * the log loss (two parameters, convex: a few steps converge). Temperature
 * scaling is the special case shift = 0; Platt is used because a model's
 * probabilities can also lean to one label on a new population (a shift),
 * which a temperature alone cannot undo.
 */

export interface PlattScaling {
  scale: number;
  shift: number;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** Keeps logit finite for models that answer 0 or 1 exactly. */
export const clampProbability = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));

/** p' for a male probability p. */
export const applyPlatt = ({ scale, shift }: PlattScaling, maleProbability: number): number => sigmoid(scale * logit(clampProbability(maleProbability)) + shift);

/**
 * Fits scale and shift so that sigmoid(scale * logit(p) + shift) predicts `isMale`.
 * A tiny ridge (1e-6) keeps Newton's step defined when the data are perfectly separable; each step
 * is halved until the loss goes down (a full step from scale 1 can overshoot).
 *
 * @example fitPlatt([0.9, 0.9, 0.1, 0.1], [true, false, false, true]); // scale ~0, shift ~0: the probability says nothing here
 */
export function fitPlatt(maleProbabilities: readonly number[], isMale: readonly boolean[], { temperatureOnly = false } = {}): PlattScaling {
  if (maleProbabilities.length !== isMale.length) throw new RangeError(`Expected one label per probability but received ${isMale.length} for ${maleProbabilities.length}`);
  if (maleProbabilities.length === 0) throw new RangeError('Expected at least one probability to fit gender scaling but received none');
  const z = maleProbabilities.map((p) => logit(clampProbability(p)));
  const ridge = 1e-6;
  const loss = (a: number, b: number) =>
    z.reduce((sum, zi, i) => {
      const t = a * zi + b;
      // log(1 + e^t) - y t, written to stay finite for large |t|.
      return sum + Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t))) - (isMale[i] ? t : 0);
    }, 0) + (ridge / 2) * (a * a + b * b);
  let scale = 1;
  let shift = 0;
  let current = loss(scale, shift);
  for (let step = 0; step < 100; step++) {
    // Gradient and Hessian of the log loss in (scale, shift).
    let ga = ridge * scale, gb = ridge * shift, haa = ridge, hab = 0, hbb = ridge;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(scale * z[i]! + shift);
      const r = p - (isMale[i] ? 1 : 0);
      const w = p * (1 - p);
      ga += r * z[i]!;
      gb += r;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    let da: number;
    let db: number;
    if (temperatureOnly) {
      da = ga / haa;
      db = 0;
    } else {
      const det = haa * hbb - hab * hab;
      da = (hbb * ga - hab * gb) / det;
      db = (haa * gb - hab * ga) / det;
    }
    // Newton's full step can overshoot far from the optimum: halve it until the loss goes down.
    let t = 1;
    let next = loss(scale - da, shift - db);
    while (next > current && t > 1e-9) (t /= 2), (next = loss(scale - t * da, shift - t * db));
    if (next > current) break;
    scale -= t * da;
    shift -= t * db;
    const gain = current - next;
    current = next;
    if (gain < 1e-12 * z.length || (Math.abs(t * da) < 1e-10 && Math.abs(t * db) < 1e-10)) break;
  }
  return { scale, shift };
}
