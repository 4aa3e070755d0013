import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node, seeded } from './graph-fixture.js';

const NHWC = attr.s('NHWC');
const ones = attr.ints([1, 1, 1, 1]);

function convAttrs(padding: string, stride: number, dilation = 1, extra = {}) {
  return { strides: attr.ints([1, stride, stride, 1]), dilations: attr.ints([1, dilation, dilation, 1]), padding: attr.s(padding), data_format: NHWC, ...extra };
}

const filter = (h: number, w: number, i: number, o: number, seed = 3) => ({ name: 'w', values: seeded(h * w * i * o, seed), shape: [h, w, i, o] });
const bias = (c: number) => ({ name: 'b', values: seeded(c, 5), shape: [c] });

const cases = [
  { title: 'Conv2D SAME stride 2 with an uneven pad', shape: [1, 8, 7, 3], consts: [filter(3, 3, 3, 4)], nodes: [node('y', 'Conv2D', ['x', 'w'], convAttrs('SAME', 2))] },
  { title: 'Conv2D VALID with dilation 2', shape: [1, 8, 8, 2], consts: [filter(3, 3, 2, 3)], nodes: [node('y', 'Conv2D', ['x', 'w'], convAttrs('VALID', 1, 2))] },
  {
    title: 'Conv2D EXPLICIT padding',
    shape: [1, 6, 5, 2],
    consts: [filter(3, 3, 2, 3)],
    nodes: [node('y', 'Conv2D', ['x', 'w'], convAttrs('EXPLICIT', 1, 1, { explicit_paddings: attr.ints([0, 0, 1, 2, 2, 0, 0, 0]) }))],
  },
  ...['Relu', 'Relu6', 'Elu', 'LeakyRelu'].map((activation) => ({
    title: `_FusedConv2D BiasAdd + ${activation}`,
    shape: [1, 6, 6, 3],
    consts: [filter(3, 3, 3, 4), bias(4)],
    nodes: [
      node('y', '_FusedConv2D', ['x', 'w', 'b'], {
        ...convAttrs('SAME', 1),
        num_args: attr.i(1),
        fused_ops: attr.strs(['BiasAdd', activation]),
        leakyrelu_alpha: attr.f(0.3),
      }),
    ],
  })),
  {
    title: '_FusedConv2D BiasAdd + Prelu',
    shape: [1, 5, 5, 2],
    consts: [filter(1, 1, 2, 3), bias(3), { name: 'alpha', values: [0.1, 0.5, -0.2], shape: [3] }],
    nodes: [node('y', '_FusedConv2D', ['x', 'w', 'b', 'alpha'], { ...convAttrs('VALID', 1), num_args: attr.i(2), fused_ops: attr.strs(['BiasAdd', 'Prelu']) })],
  },
  {
    title: 'DepthwiseConv2dNative multiplier 2, SAME stride 2',
    shape: [1, 7, 6, 3],
    consts: [filter(3, 3, 3, 2)],
    nodes: [node('y', 'DepthwiseConv2dNative', ['x', 'w'], convAttrs('SAME', 2))],
  },
  {
    title: 'FusedDepthwiseConv2dNative BiasAdd + Relu6',
    shape: [1, 6, 6, 4],
    consts: [filter(5, 5, 4, 1), bias(4)],
    nodes: [node('y', 'FusedDepthwiseConv2dNative', ['x', 'w', 'b'], { ...convAttrs('SAME', 1), num_args: attr.i(1), fused_ops: attr.strs(['BiasAdd', 'Relu6']) })],
  },
  {
    title: 'depthwise then pointwise chain (stays NCHW)',
    shape: [1, 8, 8, 3],
    consts: [filter(3, 3, 3, 1), { name: 'pw', values: seeded(3 * 5, 9), shape: [1, 1, 3, 5] }],
    nodes: [node('d', 'DepthwiseConv2dNative', ['x', 'w'], convAttrs('SAME', 1)), node('y', 'Conv2D', ['d', 'pw'], { ...convAttrs('VALID', 1), dilations: ones })],
  },
];

for (const c of cases) {
  test(`${c.title} matches tfjs`, async () => {
    await assertMatchesTfjs(graphModel(c.shape, c.consts, c.nodes), feedOf(c.shape));
  });
}
