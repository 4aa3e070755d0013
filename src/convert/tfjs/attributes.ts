/**
 * Typed readers for GraphDef node attributes. TF.js JSON keeps int64 values
 * as strings and strings as base64, so every reader normalises both.
 */
import type { TfAttrValue, TfNode, TfShape } from './model-json.js';

function attribute(node: TfNode, key: string): TfAttrValue | undefined {
  return node.attr?.[key];
}

function missing(node: TfNode, key: string): Error {
  return new Error(`Node "${node.name}" (${node.op}) has no attribute "${key}"`);
}

/** An integer attribute, or `fallback` when absent. */
export function attrInt(node: TfNode, key: string, fallback?: number): number {
  const value = attribute(node, key)?.i;
  if (value === undefined) {
    if (fallback === undefined) throw missing(node, key);
    return fallback;
  }
  return Number(value);
}

/** A float attribute, or `fallback` when absent. */
export function attrFloat(node: TfNode, key: string, fallback?: number): number {
  const value = attribute(node, key)?.f;
  if (value === undefined) {
    if (fallback === undefined) throw missing(node, key);
    return fallback;
  }
  return Number(value);
}

/** A boolean attribute (absent means false, as in TensorFlow's op defaults). */
export function attrBool(node: TfNode, key: string): boolean {
  return attribute(node, key)?.b === true;
}

/** A string attribute decoded from base64, or `fallback` when absent. */
export function attrString(node: TfNode, key: string, fallback?: string): string {
  const value = attribute(node, key)?.s;
  if (value === undefined) {
    if (fallback === undefined) throw missing(node, key);
    return fallback;
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

/** A list-of-ints attribute (empty when absent). */
export function attrInts(node: TfNode, key: string): number[] {
  return (attribute(node, key)?.list?.i ?? []).map(Number);
}

/** A list-of-strings attribute decoded from base64 (empty when absent). */
export function attrStrings(node: TfNode, key: string): string[] {
  return (attribute(node, key)?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

/** A dtype attribute such as `DT_FLOAT`, or `fallback` when absent. */
export function attrType(node: TfNode, key: string, fallback = 'DT_FLOAT'): string {
  return attribute(node, key)?.type ?? fallback;
}

/** A shape attribute as sizes (-1 for unknown), or undefined for an unknown rank. */
export function attrShape(node: TfNode, key: string): number[] | undefined {
  return shapeDims(attribute(node, key)?.shape);
}

/** Sizes of a TensorShapeProto (-1 for unknown dims), undefined when the rank is unknown. */
export function shapeDims(shape: TfShape | undefined): number[] | undefined {
  if (!shape || shape.unknownRank) return undefined;
  return (shape.dim ?? []).map((d) => Number(d.size ?? -1));
}
