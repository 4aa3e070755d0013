/**
 * The package as users install it: the Node lines FaceRead supports (22
 * and 24) meet every dependency's engines, and onnxruntime-node's CUDA
 * download stays off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/repo-root.js';

interface LockEntry { engines?: { node?: string }; dev?: boolean; optional?: boolean; os?: string[] }
const satisfies = (createRequire(import.meta.url)('semver') as { satisfies(version: string, range: string): boolean }).satisfies;
const read = async (file: string) => JSON.parse(await readFile(path.join(REPO_ROOT, file), 'utf8'));

test('engines: Node 22 and 24 meet every installed dependency\'s engines, and package.json says so', async () => {
  const manifest = await read('package.json');
  const lock = (await read('package-lock.json')) as { packages: Record<string, LockEntry> };
  for (const line of ['22.0.0', '24.0.0']) {
    assert.ok(satisfies(line, manifest.engines.node), `engines.node ${manifest.engines.node} admits ${line}`);
    for (const [name, entry] of Object.entries(lock.packages)) {
      // Platform packages for other systems (sharp's win32-ia32 asks for ^20.9.0) are never installed here.
      if (!name || !entry.engines?.node || (entry.optional && entry.os && !entry.os.includes(process.platform))) continue;
      assert.ok(satisfies(line, entry.engines.node), `${name} needs node ${entry.engines.node}, which Node ${line} is not (EBADENGINE)`);
    }
  }
  assert.ok(!satisfies('20.19.0', manifest.engines.node), 'Node 20 (end of life) is not claimed');
});

test("onnxruntime-node's CUDA download stays off: .npmrc skips it for npm ci in the checkout, allowScripts denies it where npm honours that", async () => {
  // npm 10 (Node 22) ignores allowScripts, so the .npmrc key is what keeps `npm ci` offline here.
  assert.match(await readFile(path.join(REPO_ROOT, '.npmrc'), 'utf8'), /^onnxruntime-node-install=skip$/m);
  const manifest = await read('package.json');
  assert.equal(manifest.allowScripts['onnxruntime-node'], false, 'its postinstall is what downloads the CUDA libraries');
});
