/**
 * Tiny ONNX graphs shaped like the imported detector families, built with
 * FaceRead's GraphBuilder, for tests that must run without ../shared:
 * a YuNet with the `strides` outputs (cls/obj/bbox/kps at strides 8, 16,
 * 32) that runs at any multiple of 32, or only at its export size when its
 * reshapes are hard-coded, and files that only declare inputs and outputs.
 */
import { GraphBuilder, ints, type Dim } from '../../src/convert/onnx/graph-builder.js';

/** Values per anchor of each `strides` output. */
const CHANNELS = { cls: 1, obj: 1, bbox: 4, kps: 10 } as const;

/**
 * A YuNet-like network: per stride, the image averaged over each cell, a 1x1 convolution to the
 * output's channels (sigmoid for cls and obj), then NHWC and one row per cell. `exportSize` fixes
 * the declared input; `hardCodedRows` makes the reshapes use that size's row counts (so the graph
 * fails at any other size, as some exporters write it).
 */
export function syntheticYunet(options: { exportSize?: [width: number, height: number]; hardCodedRows?: boolean } = {}): Uint8Array {
  const g = new GraphBuilder('synthetic-yunet');
  const [w, h]: Dim[] = options.exportSize ?? ['width', 'height'];
  const x = g.input('input', [1, 3, h, w]);
  for (const stride of [8, 16, 32]) {
    const pooled = g.op('AveragePool', [x], { kernel_shape: ints([stride, stride]), strides: ints([stride, stride]) });
    for (const [name, channels] of Object.entries(CHANNELS)) {
      const weights = Float32Array.from({ length: channels * 3 }, (_, i) => ((i % 7) - 3) / 300);
      let y = g.op('Conv', [pooled, g.constant(`${name}_${stride}_w`, weights, [channels, 3, 1, 1])]);
      if (name === 'cls' || name === 'obj') y = g.op('Sigmoid', [y]);
      const nhwc = g.op('Transpose', [y], { perm: ints([0, 2, 3, 1]) });
      const rows = options.hardCodedRows && options.exportSize ? (options.exportSize[0] / stride) * (options.exportSize[1] / stride) : -1;
      g.output(g.op('Reshape', [nhwc, g.int64s([1, rows, channels])]), `${name}_${stride}`, [1, 'anchors', channels]);
    }
  }
  return g.serialize();
}

/** A graph that declares the given inputs and outputs (each output computed from the first input, shape as declared only). */
export function declaredModel(inputs: { name: string; dims: Dim[] }[], outputs: { name: string; dims: Dim[] }[]): Uint8Array {
  const g = new GraphBuilder('declared');
  const names = inputs.map((i) => g.input(i.name, i.dims));
  for (const o of outputs) g.output(g.op('Identity', [names[0]!]), o.name, o.dims);
  return g.serialize();
}
