/**
 * `evaluateDataset` end to end through the library API: on a tiny
 * UTKFace-shaped folder made from face-api's sample photo (always runs),
 * and on 12 photos of each shared data set when ../shared is present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { evaluateDataset } from '../../../src/eval/evaluate-dataset.js';
import { reportMarkdown } from '../../../src/eval/report/eval-report.js';
import { FACEAPI_SAMPLE_DIR } from '../../helpers/faceapi-reference.js';
import { REPO_ROOT } from '../../helpers/repo-root.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';

const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');

test('a UTKFace-shaped folder of face crops: faces found, labels compared, report written', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'faceread-eval-'));
  await mkdir(path.join(root, 'images'));
  const sample = path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg');
  // The middle face of sample1.jpg, loosely and tightly cropped; labelled as a 30-year-old woman.
  await sharp(sample).extract({ left: 700, top: 280, width: 460, height: 460 }).jpeg().toFile(path.join(root, 'images', '30_1_0_loose.jpg'));
  await sharp(sample).extract({ left: 820, top: 420, width: 220, height: 220 }).jpeg().toFile(path.join(root, 'images', '30_1_0_tight.jpg'));
  const { report, outcomes } = await evaluateDataset({ dataset: `utkface:${root}`, split: 'all', pads: [0], analyzer: { profile: 'accurate', modelDir: TEST_STORE_DIR, poolSize: 1 }, concurrency: 2 });
  const [variant] = report.variants;
  const m = variant!.attributes!.overall;
  assert.equal(m.faces, 2);
  assert.equal(m.detected, 2, 'both crops found (the tight one through the padded retry)');
  assert.equal(m.genderAccuracy, 1);
  assert.ok(m.ageMae < 12, `age MAE ${m.ageMae}`);
  assert.ok(m.rangeCoverage !== undefined, 'the accurate profile gives age ranges');
  assert.equal(outcomes[0]!.length, 2);
  assert.match(reportMarkdown(report), /\| all \| 2 \| 100\.0% \| 100\.0% \|/);
});

for (const kind of ['utkface', 'aaf', 'wider'] as const) {
  test(`${kind} test split, 12 photos`, async (t) => {
    const root = path.join(SHARED_DATA, kind);
    if (!existsSync(root)) return t.skip(`${root} is absent (evaluation data lives in ../shared)`);
    const { report } = await evaluateDataset({ dataset: `${kind}:${root}`, split: 'test', limit: 12, pads: [0], analyzer: { profile: 'default', modelDir: TEST_STORE_DIR, poolSize: 2 }, concurrency: 4 });
    const variant = report.variants[0]!;
    assert.equal(report.dataset.samples, 12);
    assert.equal(variant.failures, 0);
    if (kind === 'wider') {
      assert.ok(variant.detection!.overall.ap50 > 0.3, `AP ${variant.detection!.overall.ap50}`);
    } else {
      const m = variant.attributes!.overall;
      assert.ok(m.detected >= 6, `found ${m.detected} of 12`);
      assert.ok(m.ageMaeFound < 12, `MAE on found faces ${m.ageMaeFound}`);
    }
  });
}
