/**
 * `faceread models import-caffe`, `import-tf` and `import-onnx`: convert a
 * user's own OpenCV networks (res10 SSD detector, Levi-Hassner age and
 * gender), or check their ONNX models of a known kind (YuNet, UltraFace...),
 * into the model store and put them into a profile: a new profile starts from
 * `--base` (default `default`); an existing one keeps whatever this import
 * does not replace, so the classic TF detector and Caffe age/gender
 * networks can be imported one after the other into one profile.
 *
 * @example
 *   faceread models import-caffe --detector deploy.prototxt res10_300x300_ssd_iter_140000.caffemodel \
 *     --age deploy_age.prototxt age_net.caffemodel --gender deploy_gender.prototxt gender_net.caffemodel
 *   faceread analyze photo.jpg --models opencv-classic
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import path from 'node:path';
import { FaceReadError, invalidOption } from '../errors.js';
import type { ImportedModelBytes } from '../models/imported-store.js';
import { kindProvides, MODEL_KINDS, type ModelKind } from '../models/kinds.js';
import type { ModelSpec } from '../pipeline/runner-types.js';
import { DEFAULT_PROFILE, describeProfile } from '../models/profiles.js';
import { checkProfileName, saveImport, setProfile } from '../models/saved-profiles.js';
import { ModelStore, sha256 } from '../models/store.js';

/** What a network given under each option of import-caffe / import-tf is. */
export type ImportedSlot = 'detector' | 'age' | 'gender';
const KIND_OF_SLOT: Readonly<Record<ImportedSlot, string>> = { detector: 'opencv-res10-ssd', age: 'levi-hassner-age', gender: 'levi-hassner-gender' };

/** One network to import: its format and its two files, in the order the option takes them. */
export interface ImportRequest {
  slot: ImportedSlot;
  format: 'caffe' | 'tensorflow';
  /** caffe: [prototxt, caffemodel]; tensorflow: [frozen .pb, OpenCV's .pbtxt]. */
  files: [string, string];
}

export const DEFAULT_IMPORT_NAME = 'opencv-classic';
export const DEFAULT_ONNX_IMPORT_NAME = 'imported';

/** `--detector-preprocessing`: how an imported res10 is fed (a profile option of its model, changeable later). */
const preprocessingOption = () =>
  new Option('--detector-preprocessing <how>', "res10 input: 'opencv' (OpenCV's sample; right) or 'classic-app' (the LearnOpenCV app's, to reproduce its numbers)")
    .choices(['opencv', 'classic-app'])
    .default('opencv');
const NAME_HELP = 'profile to put the models into (for --models); an existing one keeps the roles not imported';
const BASE_HELP = 'profile a new profile starts from';
const INT8_HELP = "also make int8 versions (ranges measured on face-api's demo photos, some seconds); used with --precision int8";


async function readSource(file: string): Promise<{ bytes: Buffer; path: string }> {
  const absolute = path.resolve(file);
  try {
    return { bytes: await readFile(absolute), path: absolute };
  } catch (cause) {
    throw new FaceReadError('NOT_FOUND', `Cannot read ${absolute}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { cause });
  }
}

/** Converts one network; errors name the files. */
async function convertOne(request: ImportRequest): Promise<ImportedModelBytes> {
  const [first, second] = await Promise.all(request.files.map(readSource));
  let onnx: Uint8Array;
  try {
    if (request.format === 'caffe') {
      const { convertCaffeNet } = await import('../convert/caffe/convert-caffe.js');
      const { readNetDefinition } = await import('../convert/caffe/net-definition.js');
      onnx = convertCaffeNet(readNetDefinition(first!.bytes.toString('utf8'), first!.path), second!.bytes, second!.path).onnx;
    } else {
      const { convertOpenCvTfDetector } = await import('../convert/tf-graphdef/convert-opencv-ssd.js');
      onnx = convertOpenCvTfDetector(first!.bytes, first!.path, second!.bytes.toString('utf8'), second!.path).onnx;
    }
  } catch (cause) {
    if (cause instanceof FaceReadError) throw cause;
    throw new FaceReadError('MODEL_UNAVAILABLE', `Importing the ${request.slot} model failed: ${(cause as Error).message}`, { cause });
  }
  return {
    slot: request.slot,
    kind: KIND_OF_SLOT[request.slot],
    bytes: onnx,
    sources: [first!, second!].map((s) => ({ path: s.path, sha256: sha256(s.bytes) })),
  };
}

/** The command line that redoes these requests, recorded with each imported model. */
const importCommandLine = (requests: readonly ImportRequest[], name: string) =>
  `${requests.some((r) => r.format === 'tensorflow') ? 'import-tf' : 'import-caffe'} ${requests.map((r) => `--${r.slot} ${r.files.join(' ')}`).join(' ')} --name ${name}`;

export interface ImportSettings {
  int8?: boolean;
  /** How the imported res10 detector is fed: OpenCV's sample (default) or the LearnOpenCV app's. */
  detectorPreprocessing?: 'opencv' | 'classic-app';
  /** The profile a new profile starts from. */
  base?: string;
  /** The command line recorded with the models (to say how to import again); default the import-caffe / import-tf line. */
  importedBy?: string;
}

/**
 * Converts every requested network and puts them into profile `name`.
 * Returns the exit code (0) after printing what was stored.
 */
export async function runImportCommand(requests: readonly ImportRequest[], name: string, storeDir: string, options: ImportSettings = {}): Promise<number> {
  if (requests.length === 0) throw invalidOption('models', 'at least one of --detector, --age, --gender', undefined);
  checkProfileName(name);
  const started = performance.now();
  const converted: ImportedModelBytes[] = [];
  for (const request of requests) converted.push(await convertOne(request));
  if (options.int8) {
    const { quantizeImported } = await import('../convert/quantize/quantize-imported.js');
    const int8 = await quantizeImported(converted);
    for (const model of converted) model.int8 = int8.get(model.slot);
  }
  const store = new ModelStore(storeDir);
  let profile = await saveImport(store, name, converted, { base: options.base ?? DEFAULT_PROFILE, importedBy: options.importedBy ?? importCommandLine(requests, name) });
  if (options.detectorPreprocessing === 'classic-app' && requests.some((r) => r.slot === 'detector')) {
    profile = await setProfile(store, name, { options: { [`${name}-detector`]: { preprocess: 'classic-app' } } });
  }
  for (const model of converted) {
    const int8 = model.int8 ? ` (int8: ${(model.int8.length / 1e6).toFixed(1)} MB)` : '';
    console.log(`${name}-${model.slot}: ${(model.bytes.length / 1e6).toFixed(1)} MB${int8} from ${model.sources.map((s) => s.path).join(' + ')}`);
  }
  console.log(`profile ${name}: ${describeProfile(profile)}`);
  console.error(`imported in ${Math.round(performance.now() - started)} ms into ${storeDir}; use it with --models ${name}`);
  return 0;
}

/** A `<definition> <weights>` option value: exactly two files. */
function filePair(option: string) {
  return (value: string, previous: string[] | undefined): string[] => {
    const files = [...(previous ?? []), value];
    if (files.length > 2) throw new InvalidArgumentError(`${option} takes exactly two files.`);
    return files;
  };
}

function requestsFrom(options: Record<string, string[] | undefined>, formats: Record<ImportedSlot, ImportRequest['format']>): ImportRequest[] {
  return (['detector', 'age', 'gender'] as const).flatMap((slot) => {
    const files = options[slot];
    if (!files) return [];
    if (files.length !== 2) {
      const wanted = formats[slot] === 'caffe' ? 'a .prototxt and its .caffemodel' : 'a frozen .pb and its .pbtxt';
      throw invalidOption(`--${slot}`, `exactly two files (${wanted})`, files.join(' '));
    }
    return [{ slot, format: formats[slot], files: [files[0]!, files[1]!] as [string, string] }];
  });
}

/** What an ONNX import of `kind` is called inside its profile (its id is `<profile>-<slot>`): its role, or what it answers. */
function onnxSlot(kind: ModelKind, fallback: boolean, spec: ModelSpec | undefined): string {
  if (kind.role === 'detector') return fallback ? 'fallback' : 'detector';
  return kind.role === 'landmarks' ? 'landmarks' : kindProvides(kind, spec).join('-');
}

/** The kinds that take a spec, for errors. */
const specKinds = () => MODEL_KINDS.filter((k) => k.readSpec).map((k) => k.id);

/** The spec file given with `--spec`, checked by the kind; errors name the file and the field. */
async function readSpecFile(kind: ModelKind, file: string | undefined): Promise<{ spec: ModelSpec; source: { path: string; sha256: string } } | undefined> {
  if (!kind.readSpec) {
    if (file) throw invalidOption('--spec', `no spec with kind ${kind.id} (only with: ${specKinds().join(', ')})`, file);
    return undefined;
  }
  if (!file) throw invalidOption('--spec', `a JSON file describing the model for kind ${kind.id} (see "Bring your own ONNX models" in the README)`, undefined);
  const source = await readSource(file);
  let json: unknown;
  try {
    json = JSON.parse(source.bytes.toString('utf8'));
  } catch (cause) {
    throw new FaceReadError('INVALID_OPTION', `${source.path} is not JSON: ${(cause as Error).message}`, { cause });
  }
  try {
    return { spec: kind.readSpec(json), source: { path: source.path, sha256: sha256(source.bytes) } };
  } catch (cause) {
    throw new FaceReadError('INVALID_OPTION', `${source.path}: ${(cause as Error).message}`, { cause });
  }
}

/** The kinds `import-onnx` takes, for help and errors. */
const onnxKinds = () => MODEL_KINDS.filter((k) => k.importOnnx).map((k) => k.id);

/**
 * `faceread models import-onnx --kind <kind> <file>`: checks a user's ONNX file against its kind
 * (refusing it with what was expected), stores it and puts it into profile `name`.
 */
export async function runImportOnnx(
  kindId: string,
  file: string,
  name: string,
  storeDir: string,
  options: { base?: string; fallback?: boolean; spec?: string } = {},
): Promise<number> {
  const kind = MODEL_KINDS.find((k) => k.id === kindId && k.importOnnx);
  if (!kind) throw invalidOption('--kind', `one of: ${onnxKinds().join(', ')}`, kindId);
  checkProfileName(name);
  if (options.fallback && kind.role !== 'detector') throw invalidOption('--fallback', 'only with a detector kind', kind.id);
  const given = await readSpecFile(kind, options.spec);
  const source = await readSource(file);
  let prepared;
  try {
    prepared = await (await kind.importOnnx!())(source.bytes, given?.spec);
  } catch (cause) {
    throw new FaceReadError('MODEL_UNAVAILABLE', `${source.path} cannot be imported as ${kind.id}: ${(cause as Error).message}`, { cause });
  }
  const slot = onnxSlot(kind, Boolean(options.fallback), prepared.spec);
  const model: ImportedModelBytes = {
    slot,
    kind: kind.id,
    bytes: prepared.bytes,
    sources: [{ path: source.path, sha256: sha256(source.bytes) }, ...(given ? [given.source] : [])],
    fallback: Boolean(options.fallback),
    ...(prepared.spec ? { spec: prepared.spec } : {}),
  };
  const importedBy = `import-onnx --kind ${kind.id}${given ? ` --spec ${given.source.path}` : ''} ${source.path} --name ${name}${options.fallback ? ' --fallback' : ''}`;
  const profile = await saveImport(new ModelStore(storeDir), name, [model], { base: options.base ?? DEFAULT_PROFILE, importedBy });
  console.log(`${name}-${slot}: ${prepared.summary}; ${(prepared.bytes.length / 1e6).toFixed(1)} MB from ${source.path}`);
  console.log(`profile ${name}: ${describeProfile(profile)}`);
  console.error(`imported into ${storeDir}; use it with --models ${name}`);
  return 0;
}

/**
 * Adds `import-caffe`, `import-tf` and `import-onnx` under `faceread models`.
 *
 * @example
 *   registerImportCommands(program.command('models'), () => new Option('--model-dir <dir>'));
 */
export function registerImportCommands(models: Command, modelDirOption: () => Option): void {
  models
    .command('import-onnx')
    .description(`import your own ONNX model of a known kind (${onnxKinds().join(', ')}) into a profile`)
    .argument('<file>', 'the .onnx file')
    .requiredOption('--kind <kind>', `what the model is: ${onnxKinds().join(', ')}`)
    .option('--name <profile>', NAME_HELP, DEFAULT_ONNX_IMPORT_NAME)
    .option('--base <profile>', BASE_HELP, DEFAULT_PROFILE)
    .option('--fallback', "a detector that runs only when the profile's detectors find no face (added to the end of its chain)")
    .option('--spec <file>', `JSON file saying how to feed and read the model (kinds: ${specKinds().join(', ')})`)
    .addOption(modelDirOption())
    .action(async (file: string, o) => {
      process.exitCode = await runImportOnnx(o.kind, file, o.name, o.modelDir, { base: o.base, fallback: o.fallback, spec: o.spec });
    });
  const pairOption = (slot: string, what: string) => new Option(`--${slot} <files...>`, what).argParser(filePair(`--${slot}`));
  models
    .command('import-caffe')
    .description("import OpenCV's classic Caffe networks (any of the three) as a profile")
    .addOption(pairOption('detector', 'res10 SSD: deploy.prototxt and res10_300x300_ssd_iter_140000.caffemodel'))
    .addOption(pairOption('age', 'deploy_age.prototxt and age_net.caffemodel'))
    .addOption(pairOption('gender', 'deploy_gender.prototxt and gender_net.caffemodel'))
    .option('--name <profile>', NAME_HELP, DEFAULT_IMPORT_NAME)
    .option('--base <profile>', BASE_HELP, DEFAULT_PROFILE)
    .option('--int8', INT8_HELP)
    .addOption(preprocessingOption())
    .addOption(modelDirOption())
    .action(async (o) => {
      process.exitCode = await runImportCommand(requestsFrom(o, { detector: 'caffe', age: 'caffe', gender: 'caffe' }), o.name, o.modelDir, { int8: o.int8, base: o.base, detectorPreprocessing: o.detectorPreprocessing });
    });
  models
    .command('import-tf')
    .description("import OpenCV's res10 detector from TensorFlow (frozen .pb + OpenCV's .pbtxt), optionally with Caffe age/gender")
    .addOption(pairOption('detector', 'opencv_face_detector_uint8.pb and opencv_face_detector.pbtxt'))
    .addOption(pairOption('age', 'deploy_age.prototxt and age_net.caffemodel'))
    .addOption(pairOption('gender', 'deploy_gender.prototxt and gender_net.caffemodel'))
    .option('--name <profile>', NAME_HELP, DEFAULT_IMPORT_NAME)
    .option('--base <profile>', BASE_HELP, DEFAULT_PROFILE)
    .option('--int8', INT8_HELP)
    .addOption(preprocessingOption())
    .addOption(modelDirOption())
    .action(async (o) => {
      process.exitCode = await runImportCommand(requestsFrom(o, { detector: 'tensorflow', age: 'caffe', gender: 'caffe' }), o.name, o.modelDir, { int8: o.int8, base: o.base, detectorPreprocessing: o.detectorPreprocessing });
    });
}
