// Build stage of the Containerfile: converts the models of every profile into
// the built-in model store, so a container starts with nothing to convert,
// and writes a JSON list of the npm files those models were converted from
// (the store hashes them at start to notice a changed package; the prune step
// keeps exactly these).
//
//   node image/build-store.mjs <dist folder> <store folder> <sources.json>
//
// The default profile must convert (the build fails otherwise); another
// profile whose weights are not in an installed package is skipped with a note.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [distDir, storeDir, sourcesFile] = process.argv.slice(2).map((p) => path.resolve(p));
if (!distDir || !storeDir || !sourcesFile) {
  console.error('usage: node image/build-store.mjs <dist folder> <store folder> <sources.json>');
  process.exit(2);
}
const load = (file) => import(pathToFileURL(path.join(distDir, 'src', 'models', file)).href);
const { BUILT_IN_PROFILES: PROFILES, DEFAULT_PROFILE, profileModelIds } = await load('profiles.js');
const { findModel } = await load('registry.js');
const { resolveStoredProfile, withAttributeDefaults } = await load('prepare.js');

const converted = new Map();
for (const name of [DEFAULT_PROFILE, ...Object.keys(PROFILES).filter((n) => n !== DEFAULT_PROFILE)]) {
  const started = performance.now();
  try {
    await resolveStoredProfile(name, storeDir, (message) => console.error(message));
  } catch (error) {
    if (name === DEFAULT_PROFILE) throw error;
    console.error(`build-store: profile ${name} skipped: ${error.code ?? ''} ${error.message}`);
    continue;
  }
  // As the workers run the profile: with the models of attributes a photo may ask for (expression).
  for (const id of profileModelIds(withAttributeDefaults(PROFILES[name]))) converted.set(id, findModel(id).source);
  console.error(`build-store: profile ${name} ready in ${Math.round(performance.now() - started)} ms`);
}

const sources = [...converted].map(([id, s]) => ({ id, package: s.package, folder: s.folder, files: [...s.files] }));
await writeFile(sourcesFile, `${JSON.stringify(sources, null, 2)}\n`);
console.error(`build-store: ${sources.length} models in ${storeDir}`);
