/**
 * The fuzzer's case stream: from a seed, a reproducible sequence of files,
 * most of them mutations of well-formed images (truncated, flipped,
 * zeroed, spliced, header bytes rewritten), the rest random bytes behind a
 * magic number, crafted hostile files and awkward legitimate images, each
 * with the content type and transport (raw body or multipart) it is sent
 * with over HTTP.
 */
import { awkwardImages, formatSeeds, hostileFiles, randomWithMagic, type FuzzFile } from './crafted-images.js';
import { seededRandom, type SeededRandom } from './seeded-random.js';

export interface FuzzCase extends FuzzFile {
  index: number;
  /** How the HTTP client sends it. */
  transport: 'raw' | 'multipart';
}

/** Content types a careless or hostile client sends; those that are not images get 415 before any decoding. */
const CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream', 'image/x-anything', 'text/plain', 'application/json', 'application/pdf', 'image/svg+xml'];

type Mutation = (bytes: Buffer, random: SeededRandom, others: readonly Buffer[]) => Buffer;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => b.subarray(0, r.int(0, Math.max(0, b.length - 1))),
  'flip bytes': (b, r) => {
    const out = Buffer.from(b);
    for (let n = r.int(1, 32); n > 0 && out.length > 0; n--) out[r.int(0, out.length - 1)] ^= 1 << r.int(0, 7);
    return out;
  },
  'rewrite header bytes': (b, r) => {
    const out = Buffer.from(b);
    for (let n = r.int(1, 8); n > 0 && out.length > 0; n--) out[r.int(0, Math.min(out.length, 512) - 1)] = r.pick([0, 0xff, 0x7f, 0x80, r.int(0, 255)]);
    return out;
  },
  'zero a range': (b, r) => {
    const out = Buffer.from(b);
    const start = r.int(0, Math.max(0, out.length - 1));
    out.fill(r.pick([0, 0xff]), start, Math.min(out.length, start + r.int(1, 4096)));
    return out;
  },
  'insert random bytes': (b, r) => {
    const at = r.int(0, b.length);
    return Buffer.concat([b.subarray(0, at), r.bytes(r.int(1, 2048)), b.subarray(at)]);
  },
  'repeat a chunk': (b, r) => {
    const start = r.int(0, Math.max(0, b.length - 1));
    const chunk = b.subarray(start, start + r.int(1, 8192));
    return Buffer.concat([b.subarray(0, start), chunk, chunk, chunk, b.subarray(start)]);
  },
  'splice two images': (b, r, others) => {
    const other = r.pick(others);
    return Buffer.concat([b.subarray(0, r.int(0, b.length)), other.subarray(r.int(0, other.length))]);
  },
  'append garbage': (b, r) => Buffer.concat([b, r.bytes(r.int(1, 4096))]),
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

export interface CaseMaterial {
  seeds: FuzzFile[];
  fixed: FuzzFile[];
}

/** The seeds and fixed files every run draws from (built once, a few hundred ms). */
export async function loadCaseMaterial(seed: number): Promise<CaseMaterial> {
  const seeds = await formatSeeds();
  const fixed = [...hostileFiles(seeds[0]!.bytes, seededRandom(seed ^ 0x5eed)), ...(await awkwardImages())];
  return { seeds, fixed };
}

function mutate(random: SeededRandom, material: CaseMaterial): FuzzFile {
  const seed = random.pick(material.seeds);
  let bytes = seed.bytes;
  const applied: string[] = [];
  for (let n = random.int(1, 3); n > 0; n--) {
    const name = random.pick(MUTATION_NAMES);
    bytes = MUTATIONS[name]!(bytes, random, material.seeds.map((s) => s.bytes));
    applied.push(name);
  }
  return { name: `${seed.name}: ${applied.join(', ')}`, bytes, contentType: seed.contentType };
}

/**
 * `count` cases from `seed`. The fixed files come first (all of them when count allows), then
 * mutations (about 85%), random bytes behind magic numbers and pure noise.
 */
export function* fuzzCases(seed: number, count: number, material: CaseMaterial): Generator<FuzzCase> {
  const random = seededRandom(seed);
  for (let index = 0; index < count; index++) {
    let file: FuzzFile;
    if (index < material.fixed.length) file = material.fixed[index]!;
    else if (random.chance(0.85)) file = mutate(random, material);
    else if (random.chance(0.7)) file = randomWithMagic(random);
    else file = { name: 'noise', bytes: random.bytes(random.int(1, 8192)), contentType: 'image/jpeg' };
    const contentType = random.chance(0.1) ? random.pick(CONTENT_TYPES) : file.contentType;
    yield { ...file, contentType, index, transport: random.chance(0.3) ? 'multipart' : 'raw' };
  }
}
