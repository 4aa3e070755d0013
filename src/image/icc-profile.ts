/**
 * Tells whether a photo's embedded ICC profile is sRGB in all but name, so that decoding can
 * skip libvips' colour transform: it goes through Lab in floating point and doubled the cost of
 * decoding a 1920 px JPEG tagged sRGB (52-62 against 23-26 ms of CPU at 640 px) for pixels
 * identical to the untransformed ones. Other profiles (Display P3, Adobe RGB, CMYK, grey, LUT
 * profiles) keep the transform.
 *
 * A profile counts as sRGB when it is a matrix/TRC RGB profile whose colorants are sRGB's (D50
 * adapted, as ICC stores them) and whose three tone curves stay within half a level of sRGB's
 * at every 8-bit input: then the transform moves a pixel by a level at most (lcms's own rounding
 * through Lab adds one more at a few pixels in a hundred).
 *
 * @example
 *   const { icc } = await sharp(bytes).metadata();
 *   const convert = icc !== undefined && !isSrgbEquivalent(icc);
 */

/** sRGB's primaries adapted to D50 (IEC 61966-2-1 as ICC v2/v4 profiles store them), columns r, g, b. */
const SRGB_COLORANTS = {
  rXYZ: [0.4361, 0.2225, 0.0139],
  gXYZ: [0.3851, 0.7169, 0.0971],
  bXYZ: [0.1431, 0.0606, 0.7141],
} as const;

/** Colorants within this of sRGB's move an output level by at most ~0.5 (s15Fixed16 profiles of different makers differ by ~1e-4). */
const COLORANT_TOLERANCE = 0.002;

/** A tone curve within this of sRGB's (in encoded units, 0-1) keeps every 8-bit level within one. */
const CURVE_TOLERANCE = 0.5 / 255;

/** Tags that make lcms use look-up tables instead of the matrix and curves. */
const LUT_TAGS = ['A2B0', 'A2B1', 'A2B2', 'B2A0', 'B2A1', 'B2A2', 'D2B0', 'B2D0'];

const linearToSrgb = (v: number) => (v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055);

/** The profile's tags: signature -> [offset, size], or undefined when the table runs past the profile. */
function tagTable(icc: Uint8Array, view: DataView): Map<string, [number, number]> | undefined {
  const count = view.getUint32(128);
  if (count > 200 || 132 + count * 12 > icc.length) return undefined;
  const tags = new Map<string, [number, number]>();
  for (let i = 0; i < count; i++) {
    const at = 132 + i * 12;
    const offset = view.getUint32(at + 4);
    const size = view.getUint32(at + 8);
    if (offset + size > icc.length || size < 8) return undefined;
    tags.set(signature(icc, at), [offset, size]);
  }
  return tags;
}

function signature(icc: Uint8Array, at: number): string {
  return String.fromCharCode(icc[at]!, icc[at + 1]!, icc[at + 2]!, icc[at + 3]!);
}

const s15Fixed16 = (view: DataView, at: number) => view.getInt32(at) / 65536;

/** An 'XYZ ' tag's one value. */
function xyzTag(icc: Uint8Array, view: DataView, [offset, size]: [number, number]): number[] | undefined {
  if (size < 20 || signature(icc, offset) !== 'XYZ ') return undefined;
  return [0, 1, 2].map((k) => s15Fixed16(view, offset + 8 + k * 4));
}

/** A 'curv' or 'para' tag as a function from encoded (0-1) to linear (0-1). */
function toneCurve(icc: Uint8Array, view: DataView, [offset, size]: [number, number]): ((v: number) => number) | undefined {
  const type = signature(icc, offset);
  if (type === 'curv') {
    const count = view.getUint32(offset + 8);
    if (size < 12 + count * 2) return undefined;
    if (count === 0) return (v) => v;
    if (count === 1) {
      const gamma = view.getUint16(offset + 12) / 256;
      return (v) => v ** gamma;
    }
    const table = Array.from({ length: count }, (_, i) => view.getUint16(offset + 12 + i * 2) / 65535);
    return (v) => {
      const at = v * (count - 1);
      const i = Math.min(count - 2, Math.floor(at));
      return table[i]! + (table[i + 1]! - table[i]!) * (at - i);
    };
  }
  if (type === 'para') {
    const kind = view.getUint16(offset + 8);
    const wanted = [1, 3, 4, 5, 7][kind];
    if (wanted === undefined || size < 12 + wanted * 4) return undefined;
    const [g, a = 1, b = 0, c = 0, d = 0, e = 0, f = 0] = Array.from({ length: wanted }, (_, k) => s15Fixed16(view, offset + 12 + k * 4));
    const power = (v: number) => (a * v + b > 0 ? (a * v + b) ** g! : 0);
    // The parametric curve types of ICC.1 (section 10.18).
    if (kind === 0) return (v) => v ** g!;
    if (kind === 1) return (v) => (v >= -b / a ? power(v) : 0);
    if (kind === 2) return (v) => (v >= -b / a ? power(v) + c : c);
    if (kind === 3) return (v) => (v >= d ? power(v) : c * v);
    return (v) => (v >= d ? power(v) + e : c * v + f);
  }
  return undefined;
}

/**
 * Verdicts by profile bytes: photos from one camera or app carry the same profile, and judging one
 * (256 levels of three tone curves) takes ~0.5 ms, a fortieth of the decode it saves.
 */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 64;

/** True when transforming from this profile to sRGB would leave every 8-bit pixel within one level. */
export function isSrgbEquivalent(icc: Uint8Array): boolean {
  const key = Buffer.from(icc.buffer, icc.byteOffset, icc.byteLength).toString('latin1');
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdict = judgeProfile(icc);
    verdicts.set(key, verdict);
  }
  return verdict;
}

function judgeProfile(icc: Uint8Array): boolean {
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
  if (icc.length < 132 || signature(icc, 16) !== 'RGB ' || signature(icc, 20) !== 'XYZ ' || signature(icc, 36) !== 'acsp') return false;
  const tags = tagTable(icc, view);
  if (!tags || LUT_TAGS.some((tag) => tags.has(tag))) return false;
  for (const [tag, srgb] of Object.entries(SRGB_COLORANTS)) {
    const entry = tags.get(tag);
    const xyz = entry && xyzTag(icc, view, entry);
    if (!xyz || xyz.some((value, k) => Math.abs(value - srgb[k]!) > COLORANT_TOLERANCE)) return false;
  }
  for (const tag of ['rTRC', 'gTRC', 'bTRC']) {
    const entry = tags.get(tag);
    const curve = entry && toneCurve(icc, view, entry);
    if (!curve) return false;
    for (let level = 0; level <= 255; level++) {
      const linear = Math.min(1, Math.max(0, curve(level / 255)));
      if (Math.abs(linearToSrgb(linear) - level / 255) > CURVE_TOLERANCE) return false;
    }
  }
  return true;
}
