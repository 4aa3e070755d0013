/**
 * FaceRead outside its checkout: `npm pack` the project, install the
 * tarball into a throw-away project (as a user would, from npm's registry
 * or its cache for the dependencies), then run its `faceread` bin, import
 * `createAnalyzer` from 'faceread' and type-check that import.
 * Skips, saying why, when npm cannot reach a registry for the dependencies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FACEAPI_SAMPLE_DIR } from '../helpers/faceapi-reference.js';
import { REPO_ROOT } from '../helpers/repo-root.js';
import { TEST_STORE_DIR } from '../helpers/test-store.js';

const run = promisify(execFile);
// npm without install-script approvals would run onnxruntime-node's CUDA download: skipped as the README says.
const ENV = { ...process.env, FACEREAD_MODEL_DIR: TEST_STORE_DIR, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false' };
const SAMPLE = path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg');

test('the packed tarball installs into another project: its bin runs and `import { createAnalyzer } from "faceread"` works, with types', { timeout: 300_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-pack-'));
  try {
    // dist/ is built by `npm test` before the tests run; a user's `npm pack` builds it through prepare.
    const { stdout: packed } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, env: ENV, maxBuffer: 1 << 24 });
    const [{ filename, files }] = JSON.parse(packed) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    for (const needed of ['bin/faceread.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/engine/analysis-worker.js', 'dist/src/cli/main.js', 'web/index.html', 'package.json']) {
      assert.ok(paths.includes(needed), `the tarball holds ${needed}`);
    }
    assert.deepEqual(paths.filter((p) => /^(src|test|bench|dist\/test|dist\/bench)\/|\.map$/.test(p)), [], 'no sources, tests, benches or source maps');

    const project = path.join(dir, 'consumer');
    await run('mkdir', ['-p', project]);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
    try {
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, filename)], { cwd: project, env: ENV, maxBuffer: 1 << 24 });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr);
      if (/E(NOTFOUND|AI_AGAIN|CONNREFUSED|TIMEDOUT|NETUNREACH)|network/i.test(stderr)) {
        t.skip(`npm cannot reach a registry for the dependencies: ${stderr.split('\n').find((l) => /ERR/.test(l)) ?? stderr.slice(0, 200)}`);
        return;
      }
      throw error;
    }

    const bin = path.join(project, 'node_modules', '.bin', 'faceread');
    const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal((await run(bin, ['--version'], { cwd: os.tmpdir(), env: ENV })).stdout.trim(), version);
    const analysed = await run(bin, ['analyze', SAMPLE, '--format', 'json'], { cwd: os.tmpdir(), env: ENV, maxBuffer: 1 << 24 });
    assert.equal((JSON.parse(analysed.stdout) as { faces: unknown[] }[])[0]!.faces.length, 3);

    await writeFile(path.join(project, 'use.mjs'), [
      "import { createAnalyzer } from 'faceread';",
      'const analyzer = await createAnalyzer();',
      'const { faces } = await analyzer.analyze(process.argv[2]);',
      'console.log(JSON.stringify({ faces: faces.length, bucket: faces[0].age.bucket }));',
      'await analyzer.close();',
    ].join('\n'));
    const used = await run(process.execPath, ['use.mjs', SAMPLE], { cwd: project, env: ENV });
    assert.equal((JSON.parse(used.stdout) as { faces: number }).faces, 3);

    // The types resolve through package.json's exports: a wrong import or property fails to compile.
    await writeFile(path.join(project, 'check.ts'), [
      "import { createAnalyzer, type AnalysisResult } from 'faceread';",
      'const analyzer = await createAnalyzer({ poolSize: 1 });',
      "const result: AnalysisResult = await analyzer.analyze('photo.jpg');",
      'const years: number | undefined = result.faces[0]?.age?.years;',
      'export { years };',
    ].join('\n'));
    await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['check.ts'],
    }));
    await run(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, env: ENV });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
