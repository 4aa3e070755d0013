/**
 * Reads the weights out of a binary `.caffemodel` (a Caffe NetParameter
 * protobuf). Only what a converter needs is decoded: each layer's name and
 * its blobs (shape + float data); everything else is skipped on the wire,
 * so a 40 MB model costs one pass and one Float32Array per blob. Both the
 * current `layer` (field 100) and the legacy V1 `layers` (field 2, and the
 * V0 `layer` inside it) forms are read.
 *
 * Field numbers are those of Caffe's `src/caffe/proto/caffe.proto`.
 *
 * @example
 *   const weights = readCaffeModel(await readFile('age_net.caffemodel'), 'age_net.caffemodel');
 *   weights.get('conv1')?.[0]?.shape; // [96, 3, 7, 7]
 */
import protobuf from 'protobufjs';

/** One learned tensor of a layer (e.g. convolution weights, then bias). */
export interface CaffeBlob {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Layer name -> its blobs, in the order Caffe stores them. */
export type CaffeWeights = ReadonlyMap<string, readonly CaffeBlob[]>;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

const NET = { layers: 2, layer: 100 } as const;
const LAYER = { name: 1, blobs: 7 } as const;
const V1_LAYER = { v0: 1, name: 4, blobs: 6 } as const;
const V0_LAYER = { name: 1, blobs: 50 } as const;
const BLOB = { num: 1, channels: 2, height: 3, width: 4, data: 5, shape: 7, doubleData: 8 } as const;
const BLOB_SHAPE_DIM = 1;

/** Calls `onField(field, wireType)` for every field of the message in `bytes`; unhandled fields must be skipped by returning false. */
function forEachField(bytes: Uint8Array, onField: (reader: protobuf.Reader, field: number, wire: number) => boolean): void {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (!onField(reader, field, wire)) reader.skipType(wire);
  }
}

/** Packed or one-at-a-time repeated floats/doubles, appended to `into`. */
function readReals(reader: protobuf.Reader, wire: number, isDouble: boolean, into: Float32Array[]): void {
  if (wire === WIRE_BYTES) {
    const bytes = reader.bytes();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = isDouble ? 8 : 4;
    const out = new Float32Array(bytes.byteLength / size);
    for (let i = 0; i < out.length; i++) out[i] = isDouble ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
    into.push(out);
  } else if (wire === (isDouble ? WIRE_FIXED64 : WIRE_FIXED32)) {
    into.push(Float32Array.of(isDouble ? reader.double() : reader.float()));
  } else {
    throw new Error(`Unexpected wire type ${wire} for blob data`);
  }
}

function readShape(bytes: Uint8Array): number[] {
  const dims: number[] = [];
  forEachField(bytes, (reader, field, wire) => {
    if (field !== BLOB_SHAPE_DIM) return false;
    if (wire === WIRE_BYTES) {
      const end = reader.uint32() + reader.pos;
      while (reader.pos < end) dims.push(Number(reader.int64()));
    } else {
      dims.push(Number(reader.int64()));
    }
    return true;
  });
  return dims;
}

function concatenate(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function readBlob(bytes: Uint8Array, where: string): CaffeBlob {
  let shape: number[] | undefined;
  const legacy = { num: 0, channels: 0, height: 0, width: 0 };
  const floats: Float32Array[] = [];
  const doubles: Float32Array[] = [];
  forEachField(bytes, (reader, field, wire) => {
    switch (field) {
      case BLOB.shape:
        shape = readShape(reader.bytes());
        return true;
      case BLOB.data:
        readReals(reader, wire, false, floats);
        return true;
      case BLOB.doubleData:
        readReals(reader, wire, true, doubles);
        return true;
      case BLOB.num:
      case BLOB.channels:
      case BLOB.height:
      case BLOB.width: {
        if (wire !== WIRE_VARINT) return false;
        const key = field === BLOB.num ? 'num' : field === BLOB.channels ? 'channels' : field === BLOB.height ? 'height' : 'width';
        legacy[key] = reader.int32();
        return true;
      }
      default:
        return false;
    }
  });
  const data = concatenate(floats.length > 0 ? floats : doubles.length > 0 ? doubles : [new Float32Array(0)]);
  // Old blobs give num/channels/height/width instead of a shape; those default to 0 and mean 1 when the data says so.
  const resolved = shape ?? [legacy.num, legacy.channels, legacy.height, legacy.width].map((d) => d || 1);
  const count = resolved.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(`A blob of ${where} has ${data.length} values but its shape [${resolved.join(', ')}] needs ${count}`);
  }
  return { shape: resolved, data };
}

function readLayer(bytes: Uint8Array, fields: { name: number; blobs: number; v0?: number }, source: string, into: Map<string, CaffeBlob[]>): void {
  let name = '';
  const blobBytes: Uint8Array[] = [];
  forEachField(bytes, (reader, field, wire) => {
    if (wire !== WIRE_BYTES) return false;
    if (field === fields.name) name = reader.string();
    else if (field === fields.blobs) blobBytes.push(reader.bytes());
    else if (fields.v0 !== undefined && field === fields.v0) readLayer(reader.bytes(), V0_LAYER, source, into);
    else return false;
    return true;
  });
  if (blobBytes.length === 0) return;
  if (!name) throw new Error(`A layer with weights has no name in ${source}`);
  into.set(name, blobBytes.map((b, i) => readBlob(b, `layer "${name}" (blob ${i}) in ${source}`)));
}

/**
 * The blobs of every layer that has any, keyed by layer name.
 *
 * @example
 *   const weights = readCaffeModel(bytes, 'gender_net.caffemodel');
 *   const [kernel, bias] = weights.get('fc8')!;
 */
export function readCaffeModel(bytes: Uint8Array, source: string): CaffeWeights {
  const layers = new Map<string, CaffeBlob[]>();
  try {
    forEachField(bytes, (reader, field, wire) => {
      if (wire !== WIRE_BYTES) return false;
      if (field === NET.layer) readLayer(reader.bytes(), LAYER, source, layers);
      else if (field === NET.layers) readLayer(reader.bytes(), V1_LAYER, source, layers);
      else return false;
      return true;
    });
  } catch (cause) {
    if ((cause as Error).message.includes(source)) throw cause;
    throw new Error(`${source} is not a readable caffemodel (NetParameter protobuf): ${(cause as Error).message}`, { cause });
  }
  return layers;
}
