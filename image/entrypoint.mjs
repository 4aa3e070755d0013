// The container's entry point: makes sure the model store has the image's
// built-in converted models, then runs the HTTP service (no arguments) or
// the `faceread` CLI with the given arguments (`models list`, `analyze ...`).
//
// Why: the store lives at $FACEREAD_MODEL_DIR (/var/lib/faceread/models), a
// volume path users mount to keep imported models across restarts. A mounted
// volume hides whatever the image had there, so the converted models are
// kept in $FACEREAD_BUILTIN_MODEL_DIR (/opt/faceread/models, which no volume
// shadows) and copied into the store when it lacks them or holds another
// build of them. Models the store has that the image does not (imported
// ones) are left alone. This takes a few milliseconds when the store is
// already up to date; the service then checks every model's sha256 as it
// loads them. When the store cannot be written (a read-only or wrongly owned
// mount), the service runs on the built-in store directly and says so.
import { createRequire } from 'node:module';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (message) => process.stderr.write(`faceread-image: ${message}\n`);
// The service's own atomic write (temp file, fsync, rename), so both write the manifest alike.
const { writeAtomically } = await import(pathToFileURL(path.join(app, 'dist', 'src', 'models', 'store.js')).href);

async function manifest(dir) {
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    if (parsed?.version === 1 && parsed.models && typeof parsed.models === 'object') return parsed;
  } catch (error) {
    if (error.code !== 'ENOENT') say(`${dir}/manifest.json is unreadable (${error.message}); rewriting it`);
  }
  return { version: 1, models: {} };
}

const sameBuild = (a, b) =>
  a && b && a.file === b.file && a.sha256 === b.sha256 && a.sourceSha256 === b.sourceSha256 && a.converterVersion === b.converterVersion;

async function fileSize(file) {
  return (await stat(file).catch(() => null))?.size ?? -1;
}

/** Ids of built-in models that the store lacks or holds in another build. */
async function stale(builtin, storeDir, wanted) {
  const have = await manifest(storeDir);
  const out = [];
  for (const [id, entry] of Object.entries(wanted.models)) {
    const current = have.models[id];
    if (!sameBuild(current, entry) || (await fileSize(path.join(storeDir, entry.file))) !== (await fileSize(path.join(builtin, entry.file)))) {
      out.push(id);
    }
  }
  return out;
}

async function seed(builtin, storeDir) {
  const started = performance.now();
  const wanted = await manifest(builtin);
  if (Object.keys(wanted.models).length === 0) {
    say(`no built-in models at ${builtin}; the service converts them on first use`);
    return;
  }
  if ((await stale(builtin, storeDir, wanted)).length === 0) return;
  await mkdir(storeDir, { recursive: true });
  // Before the lock: proper-lockfile retries any error for minutes.
  await access(storeDir, constants.W_OK);
  // The same lock as the service's model store, so containers sharing a volume take turns.
  const lockfile = require('proper-lockfile');
  const release = await lockfile.lock(storeDir, {
    lockfilePath: path.join(storeDir, 'store.lock'),
    stale: 30_000,
    retries: { retries: 600, minTimeout: 50, maxTimeout: 500 },
  });
  try {
    const ids = await stale(builtin, storeDir, wanted);
    for (const id of ids) {
      const { file } = wanted.models[id];
      const temp = path.join(storeDir, `${file}.tmp-${process.pid}`);
      await copyFile(path.join(builtin, file), temp, constants.COPYFILE_FICLONE);
      await rename(temp, path.join(storeDir, file));
    }
    const latest = await manifest(storeDir);
    for (const id of ids) latest.models[id] = wanted.models[id];
    await writeAtomically(path.join(storeDir, 'manifest.json'), `${JSON.stringify(latest, null, 2)}\n`);
    if (ids.length) say(`copied ${ids.length} built-in model(s) (${ids.join(', ')}) into ${storeDir} in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await release();
  }
}

const builtin = process.env.FACEREAD_BUILTIN_MODEL_DIR;
const storeDir = process.env.FACEREAD_MODEL_DIR;
if (builtin && storeDir && path.resolve(builtin) !== path.resolve(storeDir)) {
  try {
    await seed(builtin, storeDir);
  } catch (error) {
    say(
      `the model store ${storeDir} cannot be written (${error.code ?? error.message}); using the built-in models at ${builtin} read-only, ` +
        `so imported models will not persist. Possible fix: make the mounted folder writable by uid ${process.getuid?.()} ` +
        '(docker run --user, or Kubernetes securityContext.fsGroup).',
    );
    process.env.FACEREAD_MODEL_DIR = builtin;
  }
}

const args = process.argv.slice(2);
if (args.length === 0) {
  await import(pathToFileURL(path.join(app, 'dist', 'src', 'server', 'start.js')).href);
} else {
  process.argv = [process.argv[0], path.join(app, 'bin', 'faceread.js'), ...args];
  await import(pathToFileURL(path.join(app, 'dist', 'src', 'cli', 'main.js')).href);
}
