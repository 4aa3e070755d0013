/**
 * `faceread models list|prepare|verify`: what the store holds, converting
 * a profile's models ahead of time, and checking every stored file's hash.
 */
import { resolveStoredProfile } from '../models/prepare.js';
import { PRECISIONS, type PrecisionChoice } from '../models/precision.js';
import { MODELS, PROFILES } from '../models/registry.js';
import { ModelStore } from '../models/store.js';

export async function listModels(storeDir: string): Promise<number> {
  const store = new ModelStore(storeDir);
  console.log(`Model store: ${storeDir}\n`);
  for (const [i, { model, status, entry }] of (await store.describe(MODELS)).entries()) {
    const where = entry ? `${entry.file}  from ${entry.sourcePackage}@${entry.sourceVersion}` : '';
    console.log(`${model.id.padEnd(28)} ${model.role.padEnd(10)} ${status.padEnd(9)} ${where}`);
    if (model.int8) {
      const int8 = (await store.describe([MODELS[i]!], 'int8'))[0]!;
      const defaultNote = model.int8.isDefault ? ' (default)' : '';
      console.log(`${''.padEnd(28)} int8${defaultNote.padEnd(16)} ${int8.status.padEnd(9)} ${int8.entry?.file ?? ''}`);
    }
    console.log(`${''.padEnd(28)} ${model.description}; licence ${model.license}`);
  }
  console.log('\nProfiles:');
  for (const [name, profile] of Object.entries(PROFILES)) {
    console.log(`  ${name}: detector ${profile.detector}; attributes ${profile.attributes.join(', ')}${profile.landmarks ? `; landmarks ${profile.landmarks}` : ''}`);
  }
  return 0;
}

export async function prepareModels(storeDir: string, profile: string, precision: PrecisionChoice = 'auto'): Promise<number> {
  const started = performance.now();
  const stored = await resolveStoredProfile(profile, storeDir, (m) => console.error(m), precision);
  const files = [stored.detector, ...(stored.landmarks ? [stored.landmarks] : []), ...stored.attributes];
  for (const f of files) console.log(`${f.id}: ${f.path}`);
  console.error(`profile ${profile} ready in ${Math.round(performance.now() - started)} ms`);
  return 0;
}

/** Exit code 1 when any stored model is corrupted or outdated (missing ones are just not converted yet). */
export async function verifyModels(storeDir: string): Promise<number> {
  let bad = 0;
  const store = new ModelStore(storeDir);
  for (const precision of PRECISIONS) {
    const models = MODELS.filter((m) => precision === 'fp32' || m.int8);
    for (const { model, status, reason } of await store.describe(models, precision)) {
      if (status === 'corrupted' || status === 'outdated') bad++;
      // int8 files that were never made are not worth a line each.
      if (precision !== 'fp32' && status === 'missing') continue;
      console.log(`${`${model.id}${precision === 'fp32' ? '' : ` (${precision})`}`.padEnd(28)} ${status}${reason ? ` (${reason})` : ''}`);
    }
  }
  if (bad > 0) console.log(`\n${bad} model(s) need converting again: run \`faceread models prepare\` (with \`--precision int8\` for int8 files; it redoes them).`);
  return bad > 0 ? 1 : 0;
}
