import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAnalyzer } from '../../src/analyzer.js';
import { FACEAPI_SAMPLE_DIR } from '../helpers/faceapi-reference.js';

const SAMPLE = path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg');

test('an empty store is filled on first use; a corrupted model is converted again and never loaded', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-recovery-'));
  const logs: string[] = [];
  const first = await createAnalyzer({ modelDir: dir, poolSize: 1, precision: 'fp32', log: (m) => logs.push(m) });
  assert.equal((await first.analyze(SAMPLE)).faces.length, 3);
  await first.close();
  assert.ok(logs.some((l) => /converting faceapi-ssd-mobilenetv1 \(not in the store yet\)/.test(l)));

  // Damage the detector: same size, different bytes, as a bad disk would.
  const file = path.join(dir, 'faceapi-ssd-mobilenetv1.onnx');
  const bytes = await readFile(file);
  bytes.fill(7, 1000, 200_000);
  await writeFile(file, bytes);
  logs.length = 0;
  const second = await createAnalyzer({ modelDir: dir, poolSize: 1, precision: 'fp32', log: (m) => logs.push(m) });
  assert.equal((await second.analyze(SAMPLE)).faces.length, 3);
  await second.close();
  assert.ok(logs.some((l) => /converting faceapi-ssd-mobilenetv1 \(faceapi-ssd-mobilenetv1\.onnx does not match its sha256\)/.test(l)), logs.join('\n'));
  await rm(dir, { recursive: true, force: true });
});
