/**
 * `faceread models import-classic <folder>`: imports the classic app's model
 * folder (its `/root/models`) as one profile. It recognises the two classic
 * layouts by their file names, says what it found and what is missing, picks
 * the detector preprocessing that layout's app used, and then imports through
 * the same path as `import-tf` / `import-caffe` (runImportCommand), so the
 * profile is the one those separate imports build.
 *
 * @example
 *   faceread models import-classic /root/models            # profile `classic`
 *   faceread serve --models classic                         # with FACEREAD_API_COMPAT=classic
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { FaceReadError, invalidOption } from '../errors.js';
import { DEFAULT_PROFILE } from '../models/profiles.js';
import { runImportCommand, type ImportedSlot, type ImportRequest, type ImportSettings } from './import-command.js';

export const DEFAULT_CLASSIC_NAME = 'classic';

type Preprocessing = NonNullable<ImportSettings['detectorPreprocessing']>;

/** A classic folder layout: the file names of its three networks and how its app fed the detector. */
export interface ClassicLayout {
  id: 'flask-app' | 'learnopencv';
  title: string;
  preprocessing: Preprocessing;
  networks: Readonly<Record<ImportedSlot, { format: ImportRequest['format']; files: readonly [string, string] }>>;
}

const SLOTS: readonly ImportedSlot[] = ['detector', 'age', 'gender'];

/** The two layouts the classic app's users have, in order of preference on a tie. */
export const CLASSIC_LAYOUTS: readonly ClassicLayout[] = [
  {
    id: 'flask-app',
    title: "the classic Flask app's layout (face_detection, age_prediction, gender_classification)",
    preprocessing: 'opencv',
    networks: {
      detector: { format: 'caffe', files: ['face_detection.prototxt', 'face_detection.caffemodel'] },
      age: { format: 'caffe', files: ['age_prediction.prototxt', 'age_prediction.caffemodel'] },
      gender: { format: 'caffe', files: ['gender_classification.prototxt', 'gender_classification.caffemodel'] },
    },
  },
  {
    id: 'learnopencv',
    title: "LearnOpenCV's AgeGender layout, widely copied (opencv_face_detector_uint8.pb, age_net, gender_net)",
    preprocessing: 'classic-app',
    networks: {
      detector: { format: 'tensorflow', files: ['opencv_face_detector_uint8.pb', 'opencv_face_detector.pbtxt'] },
      age: { format: 'caffe', files: ['age_deploy.prototxt', 'age_net.caffemodel'] },
      gender: { format: 'caffe', files: ['gender_deploy.prototxt', 'gender_net.caffemodel'] },
    },
  },
];

const PREPROCESSING_TEXT: Readonly<Record<Preprocessing, string>> = {
  opencv: "OpenCV's sample: BGR, mean (104, 177, 123)",
  'classic-app': "LearnOpenCV's: swapRB (RGB planes), mean (104, 117, 123)",
};

/** One network of the folder: the pair found, or what is missing of it. */
export interface ClassicNetwork {
  slot: ImportedSlot;
  /** The layout whose names it has (null: none of its files is there). */
  layout: ClassicLayout['id'] | null;
  format: ImportRequest['format'] | null;
  /** The files as named in the folder, in the order the import takes them; null when incomplete. */
  files: [string, string] | null;
  /** Expected names not in the folder (one of a pair; or, with nothing found, every candidate). */
  missing: string[];
}

export interface ClassicFolderScan {
  /** The layout most of the files follow (null: no classic file at all). */
  layout: ClassicLayout | null;
  networks: ClassicNetwork[];
  /** Classic files present but not used (another layout's complete pair was preferred). */
  unused: string[];
}

/**
 * Recognises the classic networks among a folder's file names (case does not matter).
 * @example scanClassicFolder(['opencv_face_detector_uint8.pb', 'opencv_face_detector.pbtxt']).networks[0].files
 *   // ['opencv_face_detector_uint8.pb', 'opencv_face_detector.pbtxt']
 */
export function scanClassicFolder(names: readonly string[]): ClassicFolderScan {
  const byLower = new Map(names.map((name) => [name.toLowerCase(), name]));
  const present = (file: string) => byLower.get(file.toLowerCase());
  const count = (layout: ClassicLayout) => SLOTS.flatMap((slot) => layout.networks[slot].files).filter((file) => present(file)).length;
  const ranked = [...CLASSIC_LAYOUTS].sort((a, b) => count(b) - count(a));
  const layout = count(ranked[0]!) > 0 ? ranked[0]! : null;
  const used = new Set<string>();
  const networks = SLOTS.map((slot): ClassicNetwork => {
    // The majority layout first, then the other: a folder may mix them.
    const candidates = layout ? [layout, ...CLASSIC_LAYOUTS.filter((l) => l !== layout)] : CLASSIC_LAYOUTS;
    for (const candidate of candidates) {
      const { format, files } = candidate.networks[slot];
      const found = files.map(present);
      if (found[0] && found[1]) {
        found.forEach((file) => used.add(file!));
        return { slot, layout: candidate.id, format, files: [found[0], found[1]], missing: [] };
      }
    }
    for (const candidate of candidates) {
      const { format, files } = candidate.networks[slot];
      const found = files.map(present);
      if (found[0] || found[1]) return { slot, layout: candidate.id, format, files: null, missing: files.filter((_, i) => !found[i]) };
    }
    return { slot, layout: null, format: null, files: null, missing: CLASSIC_LAYOUTS.map((l) => l.networks[slot].files.join(' + ')) };
  });
  // Files of an incomplete pair are reported with it; the rest not imported are another layout's, set aside.
  for (const network of networks.filter((n) => !n.files && n.layout)) {
    const pair = CLASSIC_LAYOUTS.find((l) => l.id === network.layout)!.networks[network.slot].files;
    pair.forEach((file) => present(file) && used.add(present(file)!));
  }
  const unused = CLASSIC_LAYOUTS.flatMap((l) => SLOTS.flatMap((slot) => l.networks[slot].files))
    .map(present)
    .filter((file): file is string => file !== undefined && !used.has(file));
  return { layout, networks, unused };
}

const FORMAT_NAME = { caffe: 'Caffe', tensorflow: 'TensorFlow' } as const;

/** The lines that say what the folder holds, e.g. "  age       age_deploy.prototxt + age_net.caffemodel (Caffe)". */
export function describeScan(folder: string, scan: ClassicFolderScan): string[] {
  const lines = [`${folder}: ${scan.layout ? scan.layout.title : 'no classic model files'}`];
  for (const network of scan.networks) {
    const what = network.files
      ? `found ${network.files.join(' + ')} (${FORMAT_NAME[network.format!]})`
      : network.layout
        ? `MISSING ${network.missing.join(' and ')} (the other file of the pair is there)`
        : `MISSING: none of ${network.missing.join(', ')}`;
    lines.push(`  ${network.slot.padEnd(9)} ${what}`);
  }
  if (scan.unused.length > 0) lines.push(`  not used: ${scan.unused.join(', ')}`);
  return lines;
}

export interface ImportClassicOptions {
  name?: string;
  base?: string;
  int8?: boolean;
  /** Overrides the preprocessing chosen from the layout. */
  detectorPreprocessing?: Preprocessing;
  /** Import the complete networks even when some are missing (the rest stay those of the base profile). */
  allowMissing?: boolean;
}

async function folderNames(folder: string): Promise<string[]> {
  try {
    if (!(await stat(folder)).isDirectory()) throw invalidOption('folder', 'a folder holding the classic model files', folder);
    return await readdir(folder);
  } catch (cause) {
    if (cause instanceof FaceReadError) throw cause;
    throw new FaceReadError('NOT_FOUND', `Cannot read the folder ${folder}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (cause as Error).message}`, { cause });
  }
}

/**
 * Imports a classic model folder into profile `name` (default `classic`); returns the exit code.
 * @throws FaceReadError INVALID_OPTION when a network is missing (unless allowMissing) or none is there
 */
export async function runImportClassic(folder: string, storeDir: string, options: ImportClassicOptions = {}): Promise<number> {
  const absolute = path.resolve(folder);
  const scan = scanClassicFolder(await folderNames(absolute));
  for (const line of describeScan(absolute, scan)) console.log(line);
  const complete = scan.networks.filter((n) => n.files);
  const incomplete = scan.networks.filter((n) => !n.files);
  if (complete.length === 0) {
    throw invalidOption('folder', 'a folder with the classic networks (see the names above)', absolute);
  }
  if (incomplete.length > 0 && !options.allowMissing) {
    const missing = incomplete.map((n) => `${n.slot} (${n.missing.join(n.layout ? ' and ' : ' or ')})`).join('; ');
    throw new FaceReadError('INVALID_OPTION', `Missing: ${missing}. Add the files to ${absolute}, or import the rest with --allow-missing (the missing networks then stay those of --base).`);
  }
  const requests: ImportRequest[] = complete.map((n) => ({ slot: n.slot, format: n.format!, files: n.files!.map((f) => path.join(absolute, f)) as [string, string] }));
  const detector = complete.find((n) => n.slot === 'detector');
  const fromLayout = CLASSIC_LAYOUTS.find((l) => l.id === detector?.layout)?.preprocessing ?? 'opencv';
  const preprocessing = options.detectorPreprocessing ?? fromLayout;
  if (detector) {
    const why = options.detectorPreprocessing ? 'as asked' : `as that layout's app fed it; --detector-preprocessing ${fromLayout === 'opencv' ? 'classic-app' : 'opencv'} for the other`;
    console.log(`detector preprocessing: ${preprocessing} (${PREPROCESSING_TEXT[preprocessing]}), ${why}`);
  }
  const name = options.name ?? DEFAULT_CLASSIC_NAME;
  return runImportCommand(requests, name, storeDir, {
    int8: options.int8,
    base: options.base ?? DEFAULT_PROFILE,
    detectorPreprocessing: preprocessing,
    importedBy: `import-classic ${absolute} --name ${name}${options.detectorPreprocessing ? ` --detector-preprocessing ${preprocessing}` : ''}${incomplete.length > 0 ? ' --allow-missing' : ''}`,
  });
}

/** Adds `import-classic` under `faceread models`. */
export function registerImportClassicCommand(models: Command, modelDirOption: () => Option): void {
  models
    .command('import-classic')
    .description("import the classic app's model folder (e.g. /root/models, either classic layout) as one profile")
    .argument('<folder>', 'the folder holding the classic networks')
    .option('--name <profile>', 'profile to put the models into', DEFAULT_CLASSIC_NAME)
    .option('--base <profile>', 'profile a new profile starts from', DEFAULT_PROFILE)
    .option('--allow-missing', 'import the complete networks even when others are missing (those stay as in --base)')
    .option('--int8', 'also make int8 versions (used with --precision int8)')
    .addOption(new Option('--detector-preprocessing <how>', "res10 input, instead of the one the layout's app used: 'opencv' or 'classic-app'").choices(['opencv', 'classic-app']))
    .addOption(modelDirOption())
    .action(async (folder: string, o) => {
      process.exitCode = await runImportClassic(folder, o.modelDir, {
        name: o.name,
        base: o.base,
        int8: o.int8,
        allowMissing: o.allowMissing,
        detectorPreprocessing: o.detectorPreprocessing,
      });
    });
}
