/**
 * Reads face-api's weight files: a `*-weights_manifest.json` naming each
 * tensor (dtype, shape, optional uint8 quantization) and the `.bin` shards
 * it points to. Quantized tensors are expanded to float32 as tfjs does
 * (value = q * scale + min), so converted models match the original runtime.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** The exact values of an int32 tensor (float32 `data` rounds those above 2^24, e.g. INT32_MAX slice ends). */
  readonly ints?: Int32Array;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

interface ManifestGroup {
  paths: string[];
  weights: ManifestEntry[];
}

const BYTES_PER_STORED_VALUE: Record<string, number> = { uint8: 1, uint16: 2, float16: 2, float32: 4, int32: 4 };

/** A named set of float32 tensors that complains clearly about a missing or misshaped one. */
export class WeightMap {
  constructor(
    readonly source: string,
    private readonly tensors: ReadonlyMap<string, WeightTensor>,
  ) {}

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  /** The tensor called `name`; throws when it is missing or its rank differs from `rank`. */
  get(name: string, rank?: number): WeightTensor {
    const tensor = this.tensors.get(name);
    if (!tensor) throw new Error(`Weight "${name}" is missing from ${this.source}`);
    if (rank !== undefined && tensor.shape.length !== rank) {
      throw new Error(`Weight "${name}" in ${this.source} has shape [${tensor.shape.join(', ')}], expected rank ${rank}`);
    }
    return tensor;
  }
}

function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeEntry(entry: ManifestEntry, bytes: Buffer, offset: number): { tensor: WeightTensor; size: number } {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const storedType = entry.quantization?.dtype ?? entry.dtype;
  const width = BYTES_PER_STORED_VALUE[storedType];
  if (!width) throw new Error(`Weight "${entry.name}" has unsupported stored type ${storedType}`);
  const size = count * width;
  if (offset + size > bytes.length) {
    throw new Error(`Weight "${entry.name}" needs ${size} bytes at offset ${offset} but the shards hold ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  const data = new Float32Array(count);
  const q = entry.quantization;
  if (storedType === 'float32') {
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
  } else if (storedType === 'int32') {
    const ints = new Int32Array(count);
    for (let i = 0; i < count; i++) data[i] = ints[i] = view.getInt32(i * 4, true);
    return { tensor: { shape: entry.shape, data, ints }, size };
  } else if (storedType === 'float16') {
    for (let i = 0; i < count; i++) data[i] = float16ToFloat32(view.getUint16(i * 2, true));
  } else {
    const scale = q?.scale ?? 1;
    const min = q?.min ?? 0;
    const read = storedType === 'uint8' ? (i: number) => view.getUint8(i) : (i: number) => view.getUint16(i * 2, true);
    // Same arithmetic as tfjs's io.decodeWeights: double precision, rounded once on store.
    for (let i = 0; i < count; i++) data[i] = read(i) * scale + min;
  }
  return { tensor: { shape: entry.shape, data }, size };
}

/** Parses a weights manifest (tfjs format) and its shards into a WeightMap. */
export async function readWeightsManifest(manifestPath: string): Promise<WeightMap> {
  const folder = path.dirname(manifestPath);
  const groups = JSON.parse(await readFile(manifestPath, 'utf8')) as ManifestGroup[];
  return decodeWeightGroups(manifestPath, groups, async (shard) => readFile(path.join(folder, shard)));
}

/** Decodes weight groups given a way to read each shard (shared with the TF.js graph-model reader). */
export async function decodeWeightGroups(
  source: string,
  groups: readonly ManifestGroup[],
  readShard: (shardPath: string) => Promise<Buffer>,
): Promise<WeightMap> {
  const tensors = new Map<string, WeightTensor>();
  for (const group of groups) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map(readShard)));
    let offset = 0;
    for (const entry of group.weights) {
      const { tensor, size } = decodeEntry(entry, bytes, offset);
      tensors.set(entry.name, tensor);
      offset += size;
    }
  }
  return new WeightMap(source, tensors);
}
