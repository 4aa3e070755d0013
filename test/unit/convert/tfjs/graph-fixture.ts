/**
 * Tiny hand-made TF.js graph models for the op tests: nodes written as in a
 * real model.json, constants packed into one weight buffer, and a check
 * that runs the converted ONNX in onnxruntime against tfjs itself.
 */
import assert from 'node:assert/strict';
import { convertDecodedGraphModel, type ConvertTfjsOptions } from '../../../../src/convert/tfjs/convert-graph-model.js';
import { decodeTfjsGraphModel, type TfAttrValue, type TfjsGraphModelJson, type TfNode, type TfSignature } from '../../../../src/convert/tfjs/model-json.js';
import { maxAbsDifference, runOnnx, runTfjs, tfjsGraphModel, type Feed } from './tfjs-reference.js';

/** Attribute builders in TF.js JSON form (int64 as strings, strings as base64). */
export const attr = {
  i: (v: number): TfAttrValue => ({ i: String(v) }),
  f: (v: number): TfAttrValue => ({ f: v }),
  b: (v: boolean): TfAttrValue => ({ b: v }),
  s: (v: string): TfAttrValue => ({ s: Buffer.from(v).toString('base64') }),
  ints: (v: number[]): TfAttrValue => ({ list: { i: v.map(String) } }),
  strs: (v: string[]): TfAttrValue => ({ list: { s: v.map((x) => Buffer.from(x).toString('base64')) } }),
  type: (v: string): TfAttrValue => ({ type: v }),
  shape: (dims: number[]): TfAttrValue => ({ shape: { dim: dims.map((d) => ({ size: String(d) })) } }),
};

export interface FixtureConst {
  readonly name: string;
  readonly values: readonly number[] | Float32Array;
  readonly shape: readonly number[];
  readonly dtype?: 'float32' | 'int32';
}

/** A node in model.json form. */
export function node(name: string, op: string, input: string[], attributes: Record<string, TfAttrValue> = {}): TfNode {
  return { name, op, input, attr: { T: attr.type('DT_FLOAT'), ...attributes } };
}

/** Deterministic pseudo-random values in [-1, 1). */
export function seeded(count: number, seed = 1): Float32Array {
  let state = seed >>> 0 || 1;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

/** A graph model with one float input `x` of `inputShape`, the given constants and nodes. */
export function graphModel(
  inputShape: readonly number[],
  constants: readonly FixtureConst[],
  nodes: readonly TfNode[],
  signature?: TfSignature,
): { json: TfjsGraphModelJson; weightData: Uint8Array } {
  const placeholder: TfNode = { name: 'x', op: 'Placeholder', attr: { dtype: attr.type('DT_FLOAT'), shape: attr.shape([...inputShape]) } };
  const constNodes = constants.map((c) => ({ name: c.name, op: 'Const', attr: { dtype: attr.type(c.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT') } }));
  const buffers = constants.map((c) => {
    const typed = c.dtype === 'int32' ? Int32Array.from(c.values) : Float32Array.from(c.values);
    return new Uint8Array(typed.buffer);
  });
  const json: TfjsGraphModelJson = {
    format: 'graph-model',
    generatedBy: 'faceread-test',
    convertedBy: 'faceread-test',
    modelTopology: { node: [placeholder, ...constNodes, ...nodes], versions: { producer: 1 } },
    weightsManifest: [
      { paths: ['weights.bin'], weights: constants.map((c) => ({ name: c.name, shape: [...c.shape], dtype: c.dtype ?? 'float32' })) },
    ],
    ...(signature ? { signature } : {}),
  };
  return { json, weightData: Buffer.concat(buffers) };
}

/** Converts the graph in memory and returns the ONNX model and its interface. */
export async function convertFixture(json: TfjsGraphModelJson, weightData: Uint8Array, options?: ConvertTfjsOptions) {
  const model = await decodeTfjsGraphModel('fixture.json', json, async () => Buffer.from(weightData));
  return convertDecodedGraphModel(model, options);
}

/**
 * Runs the graph in tfjs and, converted, in onnxruntime on the same input;
 * asserts every output agrees within `tolerance`. Returns the ONNX outputs.
 */
export async function assertMatchesTfjs(
  model: { json: TfjsGraphModelJson; weightData: Uint8Array },
  feed: Feed,
  tolerance = 1e-5,
): Promise<Float32Array[]> {
  const converted = await convertFixture(model.json, model.weightData);
  const expected = await runTfjs(await tfjsGraphModel(model.json, model.weightData), feed);
  const actual = await runOnnx(converted.onnx, converted.inputs[0]!.name, converted.outputs.map((o) => o.name), feed);
  assert.equal(actual.length, expected.length, 'output count');
  expected.forEach((want, k) => {
    const diff = maxAbsDifference(want, actual[k]!);
    assert.ok(diff <= tolerance, `output ${converted.outputs[k]!.name}: max |diff| ${diff} > ${tolerance} (sizes ${want.length} / ${actual[k]!.length})`);
  });
  return actual;
}

/** A feed of seeded values for `shape`. */
export function feedOf(shape: readonly number[], seed = 7): Feed {
  return { data: seeded(shape.reduce((a, b) => a * b, 1), seed), shape };
}
