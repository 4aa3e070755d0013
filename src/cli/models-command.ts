/**
 * `faceread models list|prepare|verify`: every model of the catalogue
 * (built-in and imported) and every profile, converting a profile's models
 * ahead of time, and checking every stored file.
 */
import path from 'node:path';
import { Catalogue, modelTraits, type CatalogueModel } from '../models/catalogue.js';
import { importedFileProblem, type ImportedEntry } from '../models/imported-store.js';
import { resolveStoredProfile, storedFiles } from '../models/prepare.js';
import { PRECISIONS, type PrecisionChoice } from '../models/precision.js';
import { describeProfile, isBuiltInProfile } from '../models/profiles.js';
import { MODELS } from '../models/registry.js';
import { ModelStore } from '../models/store.js';
import { columns } from './columns.js';

/** An imported model's files (float32, and int8 when made) with what is wrong with each, if anything. */
async function importedFiles(store: ModelStore, entry: ImportedEntry) {
  const files = [{ precision: 'fp32', file: entry.file, sha256: entry.sha256 }, ...(entry.int8 ? [{ precision: 'int8', ...entry.int8 }] : [])];
  return Promise.all(files.map(async (f) => ({ ...f, problem: await importedFileProblem(path.join(store.dir, f.file), f.sha256) })));
}

const origin = (model: CatalogueModel) => (model.origin === 'built-in' ? `from ${model.definition.source.package}` : `imported from ${model.entry.sources.map((s) => s.path).join(' + ')}`);

/** What an imported model's stored spec says (what it answers, or a detector's input), or that the spec is broken (list must not fail on it). */
function specSummary(model: CatalogueModel & { origin: 'imported' }): string {
  try {
    if (model.kind.describeSpec) return model.kind.describeSpec(model.entry.spec!);
    return `answers ${modelTraits(model).provides.join(' and ')}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A detector kind's own chain settings, when it has any. */
function chainNote(model: CatalogueModel): string {
  const defaults = model.kind.role === 'detector' ? model.kind.chainDefaults : undefined;
  if (!defaults) return '';
  const parts = [...(defaults.minScore !== undefined ? [`min score ${defaults.minScore}`] : []), ...(defaults.look ? [`looks ${defaults.look}`] : [])];
  return `; in a chain: ${parts.join(', ')} (unless a profile sets it)`;
}

export async function listModels(storeDir: string): Promise<number> {
  const store = new ModelStore(storeDir);
  const catalogue = await Catalogue.open(store);
  console.log(`Model store: ${storeDir}\n`);
  const rows: string[][] = [['MODEL', 'ROLE', 'KIND', 'STATUS', 'FILE']];
  const notes: string[] = [];
  for (const model of catalogue.models()) {
    if (model.origin === 'built-in') {
      for (const precision of PRECISIONS) {
        if (precision === 'int8' && !model.definition.int8) continue;
        const [{ status, entry }] = await store.describe([model.definition], precision);
        const label = precision === 'fp32' ? model.id : `  int8${model.definition.int8?.isDefault ? ' (default)' : ''}`;
        // A built-in model is its own kind: the KIND column is for imported ones.
        rows.push([label, precision === 'fp32' ? model.kind.role : '', '', status!, entry?.file ?? '']);
      }
    } else {
      for (const file of await importedFiles(store, model.entry)) {
        const status = !file.problem ? 'ok' : /missing/.test(file.problem) ? 'missing' : 'corrupted';
        rows.push(file.precision === 'fp32' ? [model.id, model.kind.role, model.kind.id, status, file.file] : ['  int8', '', '', status, file.file]);
      }
    }
    // An imported model's spec may say what it answers (an imported classifier).
    const answers = model.origin === 'imported' && model.entry.spec ? `; ${specSummary(model)}` : '';
    notes.push(`  ${model.id}: ${model.origin === 'built-in' ? `${model.definition.description}; licence ${model.definition.license}` : model.kind.description}${answers}${chainNote(model)}; ${origin(model)}`);
  }
  console.log(columns(rows).join('\n'));
  console.log(`\n${notes.join('\n')}`);
  console.log('\nProfiles:');
  const profiles: string[][] = [];
  for (const name of catalogue.profileNames()) {
    let description: string;
    try {
      description = describeProfile(catalogue.profile(name));
    } catch (error) {
      description = `unusable: ${(error as Error).message}`;
    }
    profiles.push([`  ${name}`, isBuiltInProfile(name) ? 'built-in' : 'saved', description]);
  }
  console.log(columns(profiles).join('\n'));
  return 0;
}

export async function prepareModels(storeDir: string, profile: string, precision: PrecisionChoice = 'auto'): Promise<number> {
  const started = performance.now();
  const stored = await resolveStoredProfile(profile, storeDir, (m) => console.error(m), precision);
  for (const f of storedFiles(stored)) console.log(`${f.id}: ${f.path}`);
  console.error(`profile ${profile} ready in ${Math.round(performance.now() - started)} ms`);
  return 0;
}

/**
 * Exit code 1 when any stored model is corrupted or outdated, an imported model's file is missing
 * or changed, or a saved profile cannot be used (missing built-in files are just not converted yet).
 */
export async function verifyModels(storeDir: string): Promise<number> {
  const problems: string[] = [];
  const store = new ModelStore(storeDir);
  const rows: string[][] = [];
  for (const precision of PRECISIONS) {
    const models = MODELS.filter((m) => precision === 'fp32' || m.int8);
    for (const { model, status, reason } of await store.describe(models, precision)) {
      if (status === 'corrupted' || status === 'outdated') problems.push(`${model.id}: run \`faceread models prepare${precision === 'int8' ? ' --precision int8' : ''}\` to convert it again.`);
      // int8 files that were never made are not worth a line each.
      if (precision !== 'fp32' && status === 'missing') continue;
      rows.push([`${model.id}${precision === 'fp32' ? '' : ` (${precision})`}`, `${status}${reason ? ` (${reason})` : ''}`]);
    }
  }
  const catalogue = await Catalogue.open(store);
  for (const model of catalogue.models()) {
    if (model.origin !== 'imported') continue;
    for (const file of await importedFiles(store, model.entry)) {
      rows.push([`${model.id}${file.precision === 'fp32' ? '' : ` (${file.precision})`}`, file.problem ? `bad (${file.problem})` : 'ok (imported)']);
      if (file.problem) {
        const redo = model.entry.importedBy ? `faceread models ${model.entry.importedBy}` : 'faceread models import-caffe, import-tf or import-onnx';
        problems.push(`${model.id}: ${file.problem}. Import it again: \`${redo}\` (from ${model.entry.sources.map((s) => s.path).join(', ')}).`);
      }
    }
  }
  for (const id of catalogue.unknownImports()) {
    rows.push([id, 'unusable (unknown kind)']);
    problems.push(`${id}: the manifest gives it a kind this FaceRead does not know (${catalogue.manifest.imported?.[id]?.kind}). Import it again, or upgrade FaceRead.`);
  }
  for (const name of catalogue.profileNames()) {
    if (isBuiltInProfile(name)) continue;
    try {
      catalogue.profile(name);
      rows.push([`profile ${name}`, 'ok']);
    } catch (error) {
      rows.push([`profile ${name}`, 'unusable']);
      problems.push(`profile ${name}: ${(error as Error).message}`);
    }
  }
  console.log(columns(rows).join('\n'));
  if (problems.length > 0) console.log(`\n${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  return problems.length > 0 ? 1 : 0;
}
