/**
 * Model store faults beyond test/unit/models/store.test.ts and
 * model-store-recovery.test.ts: a manifest pointing a model at another
 * model's file, a truncated and a deleted model at once, a read-only store
 * (full and empty), a disk that fills up during conversion, and two
 * processes starting on one empty store. Each ends with working models or
 * a MODEL_UNAVAILABLE error naming the file or folder and the fix.
 * Read-only and full-disk cases mount a tmpfs, so they need root (else skipped).
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { createAnalyzer } from '../../../src/analyzer.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';
import { SAMPLE_DIR } from '../server/helpers.js';

const SAMPLE = path.resolve(SAMPLE_DIR, 'sample1.jpg');
const DETECTOR = 'faceapi-ssd-mobilenetv1';

async function copyOfStore(): Promise<string> {
  // Fill the shared store first (converting it if a previous test run has not).
  await (await createAnalyzer({ modelDir: TEST_STORE_DIR, poolSize: 1, precision: 'fp32' })).close();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-faults-'));
  await cp(TEST_STORE_DIR, dir, { recursive: true, filter: (source) => !source.endsWith('.lock') });
  return dir;
}

async function analyzeWith(dir: string): Promise<{ faces: number; logs: string[] }> {
  const logs: string[] = [];
  const analyzer = await createAnalyzer({ modelDir: dir, poolSize: 1, precision: 'fp32', log: (m) => logs.push(m) });
  try {
    return { faces: (await analyzer.analyze(SAMPLE)).faces.length, logs };
  } finally {
    await analyzer.close();
  }
}

/** Runs `mount` with `args`; false when this process may not (not root, no tmpfs). */
function tryMount(args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canMount = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = execFileSync('mktemp', ['-d']).toString().trim();
  const mounted = tryMount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
  if (mounted) execFileSync('umount', [probe]);
  execFileSync('rmdir', [probe]);
  return mounted;
})();

describe('model store faults', { timeout: 300_000 }, () => {
  it("a manifest pointing a model at another model's file is caught and the model converted again", async () => {
    const dir = await copyOfStore();
    try {
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
      const other = manifest.models['faceapi-age-gender'];
      manifest.models[DETECTOR] = { ...manifest.models[DETECTOR], file: other.file, sha256: other.sha256 };
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      const { faces, logs } = await analyzeWith(dir);
      assert.equal(faces, 3);
      assert.ok(logs.some((l) => l.includes(`converting ${DETECTOR} (manifest.json lists faceapi-age-gender.onnx for it)`)), logs.join('\n'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a truncated model and a deleted one are both converted again, each named', async () => {
    const dir = await copyOfStore();
    try {
      // Two float32 models the default profile loads (the store may also hold int8 files and other profiles' models).
      const [truncated, deleted] = ['faceapi-age-gender.onnx', 'faceapi-landmarks-68.onnx'];
      await truncate(path.join(dir, truncated!), 1000);
      await rm(path.join(dir, deleted!));
      const { faces, logs } = await analyzeWith(dir);
      assert.equal(faces, 3);
      assert.ok(logs.some((l) => l.includes(`${truncated} does not match its sha256`)), logs.join('\n'));
      assert.ok(logs.some((l) => l.includes(`${deleted} is missing`)), logs.join('\n'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('two processes starting at once on an empty store convert each model once and both work', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-twins-'));
    try {
      const analyzerUrl = pathToFileURL(path.resolve('dist/src/analyzer.js')).href;
      const script = `import { createAnalyzer } from '${analyzerUrl}';
        const logs = []; const a = await createAnalyzer({ modelDir: process.argv[1], poolSize: 1, precision: 'fp32', log: (m) => logs.push(m) });
        const r = await a.analyze(process.argv[2]); await a.close(); console.log(JSON.stringify({ faces: r.faces.length, logs }));`;
      const run = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dir, SAMPLE], { timeout: 240_000 });
      const outputs = (await Promise.all([run(), run()])).map((o) => JSON.parse(o.stdout.trim().split('\n').pop()!) as { faces: number; logs: string[] });
      assert.deepEqual(outputs.map((o) => o.faces), [3, 3]);
      const conversions = outputs.flatMap((o) => o.logs).filter((l) => /model store: converting /.test(l));
      const models = conversions.map((l) => /converting (\S+)/.exec(l)![1]);
      assert.deepEqual(models, [...new Set(models)], `each model converted once: ${conversions.join('\n')}`);
      assert.ok(models.includes(DETECTOR));
      assert.deepEqual((await readdir(dir)).filter((f) => f.includes('.tmp-')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a read-only store with good models works; an empty one fails at once naming the folder and the fix', { skip: !canMount && 'needs root to mount a tmpfs' }, async () => {
    const full = await copyOfStore();
    const empty = await mkdtemp(path.join(os.tmpdir(), 'faceread-ro-'));
    const mounted: string[] = [];
    try {
      assert.ok(tryMount(['--bind', full, full]) && mounted.push(full) && tryMount(['-o', 'remount,bind,ro', full]));
      assert.equal((await analyzeWith(full)).faces, 3);
      assert.ok(tryMount(['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', empty]) && mounted.push(empty));
      const started = performance.now();
      await assert.rejects(createAnalyzer({ modelDir: empty, poolSize: 1 }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'MODEL_UNAVAILABLE');
        assert.match(error.message, new RegExp(`model store ${empty} is not writable .*FACEREAD_MODEL_DIR`));
        return true;
      });
      assert.ok(performance.now() - started < 20_000, 'the error comes at once, not after the lock retries');
    } finally {
      for (const dir of mounted.reverse()) execFileSync('umount', [dir]);
      await rm(full, { recursive: true, force: true });
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('a disk that fills up during conversion gives an error naming the file, and leaves no partial file', { skip: !canMount && 'needs root to mount a tmpfs' }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-full-'));
    assert.ok(tryMount(['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir]));
    try {
      await assert.rejects(createAnalyzer({ modelDir: dir, poolSize: 1 }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'MODEL_UNAVAILABLE');
        assert.match(error.message, /Cannot write .*\.onnx \([\d.]+ MB\): ENOSPC.*Possible fixes: free space on the disk holding/);
        return true;
      });
      assert.deepEqual((await readdir(dir)).filter((f) => f.includes('.tmp-')), [], 'no partial file takes the space');
    } finally {
      execFileSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
