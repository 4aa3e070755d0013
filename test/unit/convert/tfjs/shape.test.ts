import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node, seeded } from './graph-fixture.js';

const conv = node('c', 'Conv2D', ['x', 'w'], { strides: attr.ints([1, 1, 1, 1]), dilations: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID'), data_format: attr.s('NHWC') });
const convWeights = { name: 'w', values: seeded(3 * 4, 11), shape: [1, 1, 3, 4] };
const ints = (name: string, values: number[]) => ({ name, values, shape: [values.length], dtype: 'int32' as const });
const shape = [1, 3, 5, 3];

const cases = [
  { title: 'Reshape (flatten) of a conv output', consts: [ints('shape', [1, -1])], nodes: [node('y', 'Reshape', ['c', 'shape'])] },
  { title: 'Squeeze of axis 0', consts: [], nodes: [node('y', 'Squeeze', ['c'], { squeeze_dims: attr.ints([0]) })] },
  { title: 'ExpandDims at axis -1', consts: [{ name: 'axis', values: [-1], shape: [], dtype: 'int32' as const }], nodes: [node('y', 'ExpandDims', ['c', 'axis'])] },
  {
    title: 'ConcatV2 of a conv output and the input on channels',
    consts: [{ name: 'axis', values: [3], shape: [], dtype: 'int32' as const }],
    nodes: [node('y', 'ConcatV2', ['c', 'x', 'axis'], { N: attr.i(2) })],
  },
  { title: 'Pack on axis 1', consts: [], nodes: [node('y', 'Pack', ['c', 'c'], { axis: attr.i(1), N: attr.i(2) })] },
  { title: 'Transpose of an NCHW value', consts: [ints('perm', [0, 3, 1, 2])], nodes: [node('y', 'Transpose', ['c', 'perm'])] },
  { title: 'Transpose of the NHWC input', consts: [ints('perm', [2, 0, 3, 1])], nodes: [node('y', 'Transpose', ['x', 'perm'])] },
  { title: 'Identity then Cast to float', consts: [], nodes: [node('i', 'Identity', ['c']), node('y', 'Cast', ['i'], { SrcT: attr.type('DT_FLOAT'), DstT: attr.type('DT_FLOAT') })] },
  {
    title: 'Shape cast back to float',
    consts: [],
    nodes: [node('s', 'Shape', ['c'], { out_type: attr.type('DT_INT32') }), node('y', 'Cast', ['s'], { SrcT: attr.type('DT_INT32'), DstT: attr.type('DT_FLOAT') })],
  },
  {
    title: 'Pad of conv channels (BlazeFace residual)',
    consts: [{ name: 'pads', values: [0, 0, 0, 0, 0, 0, 0, 3], shape: [4, 2], dtype: 'int32' as const }],
    nodes: [node('y', 'Pad', ['c', 'pads'])],
  },
  {
    title: 'PadV2 of spatial dims with a value',
    consts: [{ name: 'pads', values: [0, 0, 1, 2, 2, 1, 0, 0], shape: [4, 2], dtype: 'int32' as const }, { name: 'v', values: [-3], shape: [] }],
    nodes: [node('y', 'PadV2', ['x', 'pads', 'v'])],
  },
  {
    title: 'MirrorPad REFLECT',
    consts: [{ name: 'pads', values: [0, 0, 1, 2, 2, 1, 0, 0], shape: [4, 2], dtype: 'int32' as const }],
    nodes: [node('y', 'MirrorPad', ['x', 'pads'], { mode: attr.s('REFLECT') })],
  },
];

for (const c of cases) {
  test(`${c.title} matches tfjs`, async () => {
    await assertMatchesTfjs(graphModel(shape, [convWeights, ...c.consts], [conv, ...c.nodes]), feedOf(shape));
  });
}
