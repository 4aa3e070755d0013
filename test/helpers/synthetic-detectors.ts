/**
 * Tiny ONNX graphs shaped like the imported detector families, built with
 * FaceRead's GraphBuilder, for tests that must run without ../shared:
 * a YuNet with the `strides` outputs (cls/obj/bbox/kps at strides 8, 16,
 * 32) that runs at any multiple of 32, or only at its export size when its
 * reshapes are hard-coded, and files that only declare inputs and outputs.
 */
import { GraphBuilder, int, ints, type Dim } from '../../src/convert/onnx/graph-builder.js';

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

/**
 * What the synthetic SCRFD and RetinaFace networks answer: each stride reads one colour plane of
 * the photo averaged over each cell (stride 8 red, 16 green, 32 blue), so a cell painted in that
 * colour is a face there and nowhere else; box offsets and landmarks are the same constants on every
 * cell (per anchor), so the face each painted cell gives can be worked out by hand.
 */
export const PLANTED = {
  /** The colour plane (0 red, 1 green, 2 blue) each stride reads. */
  planeOfStride: { 8: 0, 16: 1, 32: 2 } as Record<number, number>,
  /** Score logit per unit of normalised plane value, per anchor (the second anchor is less sure). */
  gain: [10, 6],
  /** RetinaFace's face logit per unit of (pixel - mean), per prior. */
  retinaGain: [0.05, 0.03],
  /**
   * SCRFD box distances (left, top, right, bottom) from the anchor point, in strides, per anchor;
   * the second anchor's box lies within the first's (IoU 0.9), so suppression keeps one face a cell.
   */
  scrfdBox: [
    [1.5, 2, 2.5, 3],
    [1.5, 2, 2.5, 2.5],
  ],
  /** Five points' offsets from the anchor point, in strides (SCRFD), per anchor. */
  scrfdPoints: [
    [0.5, 0.75, 1.5, 0.75, 1, 1.25, 0.6, 1.75, 1.4, 1.75],
    [0, 0, 1, 0, 0.5, 0.5, 0, 1, 1, 1],
  ],
  /**
   * RetinaFace loc (dx, dy, log-size offsets) per prior, before the variances; the second prior is
   * shrunk to half its size, overlapping the first's box at IoU 0.56, so one face a cell survives.
   */
  retinaLoc: [
    [1, -2, 0.5, -0.5],
    [0, 0, Math.log(0.5) / 0.2, Math.log(0.5) / 0.2],
  ],
  /** RetinaFace landmark offsets per prior, before the variance. */
  retinaPoints: [
    [-2, -2, 2, -2, 0, 0, -1.5, 2, 1.5, 2],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ],
};

const STRIDES = [8, 16, 32] as const;
const ANCHORS = 2;

/**
 * One stride's head: the photo averaged over each cell, a 1x1 convolution (weights on one plane,
 * or none, plus a bias), optionally an activation, then one row per cell and anchor.
 */
function head(g: GraphBuilder, pooled: string, name: string, perAnchor: number, plane: number, gains: readonly number[], bias: readonly (readonly number[])[], rows: 'batched' | 'flat'): string {
  const channels = ANCHORS * perAnchor;
  const weights = new Float32Array(channels * 3);
  const biases = new Float32Array(channels);
  for (let a = 0; a < ANCHORS; a++) {
    for (let v = 0; v < perAnchor; v++) {
      const ch = a * perAnchor + v;
      biases[ch] = bias[a]![v]!;
      if (gains.length > 0 && v === perAnchor - 1) weights[ch * 3 + plane] = gains[a]!;
    }
  }
  const conv = g.op('Conv', [pooled, g.constant(`${name}_w`, weights, [channels, 3, 1, 1]), g.constant(`${name}_b`, biases, [channels])]);
  const nhwc = g.op('Transpose', [conv], { perm: ints([0, 2, 3, 1]) });
  return g.op('Reshape', [nhwc, g.int64s(rows === 'batched' ? [1, -1, perAnchor] : [-1, perAnchor])]);
}

/**
 * An SCRFD-like network. `names`: InsightFace's export names (score_8...) or numbers in
 * InsightFace's order (scores, boxes, keypoints), or numbers with each stride's outputs together
 * (an order only a run can sort out). `exportSize` fixes the declared input.
 */
export function syntheticScrfd(options: { keypoints?: boolean; exportSize?: [number, number]; names?: 'insightface' | 'numbered' | 'interleaved'; rows?: 'batched' | 'flat' } = {}): Uint8Array {
  const { keypoints = true, names = 'insightface', rows = 'flat' } = options;
  const g = new GraphBuilder('synthetic-scrfd');
  const [w, h]: Dim[] = options.exportSize ?? ['?w', '?h'];
  const x = g.input('input.1', [1, 3, h, w]);
  const heads: Record<string, string[]> = { score: [], bbox: [], kps: [] };
  for (const stride of STRIDES) {
    const pooled = g.op('AveragePool', [x], { kernel_shape: ints([stride, stride]), strides: ints([stride, stride]) });
    const plane = PLANTED.planeOfStride[stride]!;
    heads.score!.push(g.op('Sigmoid', [head(g, pooled, `score_${stride}`, 1, plane, PLANTED.gain, [[0], [0]], rows)]));
    heads.bbox!.push(head(g, pooled, `bbox_${stride}`, 4, plane, [], PLANTED.scrfdBox, rows));
    if (keypoints) heads.kps!.push(head(g, pooled, `kps_${stride}`, 10, plane, [], PLANTED.scrfdPoints, rows));
  }
  const roles = keypoints ? ['score', 'bbox', 'kps'] : ['score', 'bbox'];
  const order = names === 'interleaved' ? STRIDES.flatMap((_, k) => roles.map((r) => [r, k] as const)) : roles.flatMap((r) => STRIDES.map((_, k) => [r, k] as const));
  const values: Record<string, number> = { score: 1, bbox: 4, kps: 10 };
  order.forEach(([role, k], i) => {
    const name = names === 'insightface' ? `${role}_${STRIDES[k]}` : String(448 + i * 3);
    g.output(heads[role]![k]!, name, rows === 'batched' ? [1, 'n', values[role]!] : ['n', values[role]!]);
  });
  return g.serialize();
}

/**
 * A RetinaFace-like network: priors of two sizes per cell at strides 8, 16, 32; `conf` after
 * softmax (background logit 0). `names`: loc/conf/landms, or Pytorch_Retinaface's export names
 * (output, outputt, outputtt) in a shuffled order, to be told apart by values per prior: declared
 * (as the exporter records them) or, with `declaredShapes: false`, only after a run.
 */
export function syntheticRetinaface(options: { exportSize?: [number, number]; names?: 'loc' | 'exported'; declaredShapes?: boolean } = {}): Uint8Array {
  const { names = 'loc', declaredShapes = true } = options;
  const dims = (values: number) => (declaredShapes ? [1, 'n', values] : undefined);
  const g = new GraphBuilder('synthetic-retinaface');
  const [w, h]: Dim[] = options.exportSize ?? ['width', 'height'];
  const x = g.input('input', [1, 3, h, w]);
  const parts: Record<'loc' | 'conf' | 'landms', string[]> = { loc: [], conf: [], landms: [] };
  for (const stride of STRIDES) {
    const pooled = g.op('AveragePool', [x], { kernel_shape: ints([stride, stride]), strides: ints([stride, stride]), ceil_mode: int(1) });
    // The input is BGR: red is plane 2.
    const plane = 2 - PLANTED.planeOfStride[stride]!;
    parts.loc.push(head(g, pooled, `loc_${stride}`, 4, plane, [], PLANTED.retinaLoc, 'batched'));
    parts.conf.push(head(g, pooled, `conf_${stride}`, 2, plane, PLANTED.retinaGain, [[0, 0], [0, 0]], 'batched'));
    parts.landms.push(head(g, pooled, `landms_${stride}`, 10, plane, [], PLANTED.retinaPoints, 'batched'));
  }
  const joined = {
    loc: g.op('Concat', parts.loc, { axis: int(1) }),
    conf: g.op('Softmax', [g.op('Concat', parts.conf, { axis: int(1) })], { axis: int(-1) }),
    landms: g.op('Concat', parts.landms, { axis: int(1) }),
  };
  if (names === 'loc') {
    for (const [role, values] of [['loc', 4], ['conf', 2], ['landms', 10]] as const) g.output(joined[role], role, dims(values));
  } else {
    g.output(joined.conf, 'output', dims(2));
    g.output(joined.landms, 'outputt', dims(10));
    g.output(joined.loc, 'outputtt', dims(4));
  }
  return g.serialize();
}

/** A black photo with the given cells painted in the colour its stride reads ([stride, col, row]). */
export function photoWithFaces(width: number, height: number, cells: readonly (readonly [stride: number, col: number, row: number])[]): { data: Uint8Array; width: number; height: number } {
  const data = new Uint8Array(width * height * 3);
  for (const [stride, col, row] of cells) {
    const plane = PLANTED.planeOfStride[stride]!;
    for (let y = row * stride; y < (row + 1) * stride; y++) for (let x = col * stride; x < (col + 1) * stride; x++) data[(y * width + x) * 3 + plane] = 255;
  }
  return { data, width, height };
}
