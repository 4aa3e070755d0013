/**
 * Weight and bias quantisation as onnxruntime's QLinearConv wants it:
 * int8 weights, symmetric per output channel (zero point 0, scales along
 * axis 0), and an int32 bias whose scale is exactly input scale x weight
 * scale for each channel. Any other bias scale stops onnxruntime from
 * fusing the convolution (measured: only 1-11 of 41 convolutions fused).
 */

/** int8 symmetric range used for weights: [-127, 127] (-128 left out so the range is symmetric). */
const INT8_LIMIT = 127;
const INT32_MAX = 2 ** 31 - 1;

export interface PerChannelWeights {
  values: Int8Array;
  /** One float32 scale per output channel. */
  scales: Float32Array;
}

/** Round half to even, as onnxruntime's QuantizeLinear does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Quantises a [out, ...] filter per output channel: scale = max|w| / 127.
 *
 * @example
 *   const { values, scales } = quantizeWeightsPerChannel(w, 32); // values: Int8Array, scales: [32]
 */
export function quantizeWeightsPerChannel(weights: Float32Array, channels: number): PerChannelWeights {
  const per = weights.length / channels;
  if (!Number.isInteger(per)) throw new RangeError(`${weights.length} weights do not split into ${channels} channels`);
  const values = new Int8Array(weights.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let max = 0;
    for (let i = 0; i < per; i++) max = Math.max(max, Math.abs(weights[c * per + i]!));
    // An all-zero channel still needs a positive scale.
    const scale = Math.fround(max > 0 ? max / INT8_LIMIT : 1);
    scales[c] = scale;
    for (let i = 0; i < per; i++) {
      const q = roundHalfEven(weights[c * per + i]! / scale);
      values[c * per + i] = Math.max(-INT8_LIMIT, Math.min(INT8_LIMIT, q));
    }
  }
  return { values, scales };
}

/**
 * The bias as int32 with scale[c] = fround(inputScale x weightScale[c]),
 * the same float32 product onnxruntime computes when it checks the pattern.
 * A bias too large for int32 at that scale would need a coarser weight
 * scale; it does not occur in FaceRead's networks, so it is an error here.
 */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  const values = new Int32Array(bias.length);
  const scales = new Float32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const scale = Math.fround(Math.fround(inputScale) * weightScales[c]!);
    scales[c] = scale;
    const q = roundHalfEven(bias[c]! / scale);
    if (Math.abs(q) > INT32_MAX) throw new RangeError(`Bias ${bias[c]} of channel ${c} does not fit int32 at scale ${scale}`);
    values[c] = q;
  }
  return { values, scales };
}
