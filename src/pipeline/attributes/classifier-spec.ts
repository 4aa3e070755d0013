/**
 * The JSON spec that describes an attribute network brought as an ONNX file
 * (`faceread models import-onnx --kind classifier --spec spec.json`): its
 * input (size, colour order, mean and std or scale), how faces are cropped
 * for it, and how its outputs become FaceRead's answers (gender from two
 * class scores or one probability; age in years from one value or from the
 * eight classic bucket probabilities). `readClassifierSpec` checks a spec
 * (errors name the field); `fitSpecToModel` checks it against the model's
 * inputs and outputs at import and fills in what the model says (input
 * name, plane layout, batch; classifier-import.ts). The fitted spec is
 * stored in the manifest and given to the runner: plain JSON, it crosses to
 * the worker threads. This module loads nothing heavy: the catalogue reads
 * specs on the main thread.
 *
 * @example
 *   const spec = fitSpecToModel(readClassifierSpec(JSON.parse(text)), modelSignature(bytes));
 *   classifierTraits(spec); // { provides: ['gender'], needsLandmarks: false }
 */
import type { Attribute, GenderLabel } from '../../types.js';
import { BUCKET_MIDPOINTS } from '../age-buckets.js';
import type { InputFormat } from './face-affine-crop.js';

export type GenderReading =
  | { output?: string; from: number; type: 'classes'; labels: [GenderLabel, GenderLabel]; activation: 'softmax' | 'none' }
  | { output?: string; from: number; type: 'probability'; of: GenderLabel; activation: 'sigmoid' | 'none' };

export type AgeReading =
  | { output?: string; from: number; type: 'years'; scale: number; offset: number }
  | { output?: string; from: number; type: 'buckets'; activation: 'softmax' | 'none' };

export type CropSpec = {
  /** `box`: around the detection box; `landmarks`: the five landmarks fitted to ArcFace's template (square inputs only). */
  method: 'box' | 'landmarks';
  /** The crop's side as a multiple of the box's longer side (box), or how far the template is drawn in (landmarks). */
  margin: number;
  /** Box crops: a square around the box (true), or the box's own proportions stretched to the input. */
  square: boolean;
};

export type ClassifierSpec = {
  input: Omit<InputFormat, 'layout'> & {
    /** [width, height]. */
    size: [number, number];
    /** Unset in a user's spec: read from the model at import. */
    layout?: InputFormat['layout'];
    /** The input's name and its fixed batch size (null: any), read from the model at import. */
    name?: string;
    batch?: number | null;
  };
  crop: CropSpec;
  gender?: GenderReading;
  age?: AgeReading;
};

/** A spec checked against its model: nothing left to find out. */
export type FittedClassifierSpec = ClassifierSpec & { input: ClassifierSpec['input'] & { layout: InputFormat['layout']; name: string; batch: number | null } };

const GENDERS: readonly GenderLabel[] = ['female', 'male'];

/** How many values of its output each reading takes. */
export const readingWidth = (reading: GenderReading | AgeReading): number =>
  reading.type === 'classes' ? 2 : reading.type === 'buckets' ? BUCKET_MIDPOINTS.length : 1;

const show = (value: unknown) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value));

function fail(field: string, expected: string, received: unknown): never {
  throw new RangeError(`Expected ${expected} for ${field} but received ${show(received)}`);
}

type Json = Record<string, unknown>;

function object(value: unknown, field: string, keys: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object', value);
  for (const key of Object.keys(value as Json)) {
    if (!keys.includes(key)) throw new RangeError(`Unknown field ${field === 'spec' ? key : `${field}.${key}`}. Should be one of: ${keys.join(', ')}`);
  }
  return value as Json;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!allowed.includes(value as T)) fail(field, `one of: ${allowed.join(', ')}`, value);
  return value as T;
}

function finite(value: unknown, field: string, fallback?: number, positive = false): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) fail(field, positive ? 'a positive number' : 'a number', value);
  return value as number;
}

function wholeNumber(value: unknown, field: string, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) fail(field, `an integer from ${min} to ${max}`, value);
  return value as number;
}

/** A number for all three channels, or one per channel. */
function perChannel(value: unknown, field: string, fallback: number, positive: boolean): [number, number, number] {
  if (value === undefined) return [fallback, fallback, fallback];
  if (Array.isArray(value)) {
    if (value.length !== 3) fail(field, 'a number or three numbers (one per channel, in the input\'s colour order)', value);
    return value.map((v, i) => finite(v, `${field}[${i}]`, undefined, positive)) as [number, number, number];
  }
  const single = finite(value, field, undefined, positive);
  return [single, single, single];
}

function readInput(value: unknown): ClassifierSpec['input'] {
  const input = object(value, 'input', ['size', 'channels', 'mean', 'std', 'scale', 'layout', 'name', 'batch']);
  const size = Array.isArray(input.size)
    ? (input.size.length === 2 ? input.size : fail('input.size', 'a side or [width, height]', input.size)).map((v, i) => wholeNumber(v, `input.size[${i}]`, 8, 1024))
    : [wholeNumber(input.size, 'input.size', 8, 1024), wholeNumber(input.size, 'input.size', 8, 1024)];
  if (input.std !== undefined && input.scale !== undefined) throw new RangeError('Expected one of input.std and input.scale (scale = 1 / std) but received both');
  const scale = input.std !== undefined ? perChannel(input.std, 'input.std', 1, true).map((s) => 1 / s) : perChannel(input.scale, 'input.scale', 1, true);
  const parsed: ClassifierSpec['input'] = {
    size: size as [number, number],
    channels: oneOf(input.channels, 'input.channels', ['rgb', 'bgr'] as const),
    mean: perChannel(input.mean, 'input.mean', 0, false),
    scale: scale as [number, number, number],
  };
  if (input.layout !== undefined) parsed.layout = oneOf(input.layout, 'input.layout', ['nchw', 'nhwc'] as const);
  if (input.name !== undefined) parsed.name = typeof input.name === 'string' ? input.name : fail('input.name', 'a string', input.name);
  if (input.batch !== undefined) parsed.batch = input.batch === null ? null : wholeNumber(input.batch, 'input.batch', 1, 1024);
  return parsed;
}

function readCrop(value: unknown, size: readonly [number, number]): CropSpec {
  const crop = object(value ?? {}, 'crop', ['method', 'margin', 'square']);
  const method = oneOf(crop.method, 'crop.method', ['box', 'landmarks'], 'box');
  const margin = finite(crop.margin, 'crop.margin', 1, true);
  // Small faces of large photos are cropped from a band decoded around them (face-views.ts BAND_MARGIN):
  // a square of up to 2x the box stays inside it.
  if (margin < 0.5 || margin > 2) fail('crop.margin', 'a number from 0.5 to 2', margin);
  const square = crop.square === undefined ? true : typeof crop.square === 'boolean' ? crop.square : fail('crop.square', 'true or false', crop.square);
  if (method === 'landmarks' && size[0] !== size[1]) fail('input.size', 'a square input (crop.method "landmarks" fits a square template)', size);
  if (method === 'landmarks' && !square) fail('crop.square', 'true (landmark crops are square)', square);
  return { method, margin, square };
}

function readPlace(reading: Json, field: string): { output?: string; from: number } {
  const place: { output?: string; from: number } = { from: wholeNumber(reading.from, `${field}.from`, 0, 1 << 20, 0) };
  if (reading.output !== undefined) place.output = typeof reading.output === 'string' ? reading.output : fail(`${field}.output`, 'an output name', reading.output);
  return place;
}

function readGender(value: unknown): GenderReading {
  const reading = object(value, 'gender', ['output', 'from', 'type', 'labels', 'of', 'activation']);
  const type = oneOf(reading.type, 'gender.type', ['classes', 'probability']);
  if (type === 'probability') {
    return { ...readPlace(reading, 'gender'), type, of: oneOf(reading.of, 'gender.of', GENDERS), activation: oneOf(reading.activation, 'gender.activation', ['sigmoid', 'none']) };
  }
  const labels = reading.labels;
  if (!Array.isArray(labels) || labels.length !== 2 || !GENDERS.includes(labels[0]) || !GENDERS.includes(labels[1]) || labels[0] === labels[1]) {
    fail('gender.labels', 'the two classes in output order: ["female", "male"] or ["male", "female"]', labels);
  }
  return { ...readPlace(reading, 'gender'), type, labels: labels as [GenderLabel, GenderLabel], activation: oneOf(reading.activation, 'gender.activation', ['softmax', 'none']) };
}

function readAge(value: unknown): AgeReading {
  const reading = object(value, 'age', ['output', 'from', 'type', 'scale', 'offset', 'activation']);
  const type = oneOf(reading.type, 'age.type', ['years', 'buckets']);
  if (type === 'buckets') return { ...readPlace(reading, 'age'), type, activation: oneOf(reading.activation, 'age.activation', ['softmax', 'none']) };
  return { ...readPlace(reading, 'age'), type, scale: finite(reading.scale, 'age.scale', 1), offset: finite(reading.offset, 'age.offset', 0) };
}

/**
 * A spec from its JSON, with defaults filled in (mean 0, std 1, crop around the box at margin 1,
 * square, outputs read from index 0). Throws a RangeError naming the field at fault.
 */
export function readClassifierSpec(json: unknown): ClassifierSpec {
  const spec = object(json, 'spec', ['input', 'crop', 'gender', 'age']);
  if (spec.gender === undefined && spec.age === undefined) throw new RangeError('Expected gender, age or both in the spec (how the outputs become answers) but received neither');
  const input = readInput(spec.input);
  const parsed: ClassifierSpec = { input, crop: readCrop(spec.crop, input.size) };
  if (spec.gender !== undefined) parsed.gender = readGender(spec.gender);
  if (spec.age !== undefined) parsed.age = readAge(spec.age);
  return parsed;
}

/** What a model with this spec answers, and whether every face it reads needs landmarks. */
export function classifierTraits(spec: Pick<ClassifierSpec, 'gender' | 'age' | 'crop'>): { provides: Attribute[]; needsLandmarks: boolean } {
  return { provides: [...(spec.age ? ['age' as const] : []), ...(spec.gender ? ['gender' as const] : [])], needsLandmarks: spec.crop.method === 'landmarks' };
}

/** A stored spec, checked again as the runner reads it (a hand-edited manifest fails here, naming the field). */
export function readFittedSpec(json: unknown): FittedClassifierSpec {
  const spec = readClassifierSpec(json);
  const { layout, name, batch } = spec.input;
  if (!layout || !name || batch === undefined) throw new RangeError('Expected a spec fitted to its model at import (input.layout, input.name, input.batch); import the model again');
  for (const reading of [spec.gender, spec.age]) if (reading && !reading.output) throw new RangeError('Expected each reading to name its output; import the model again');
  return spec as FittedClassifierSpec;
}
