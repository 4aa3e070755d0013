/**
 * `eyes`, `mouth` and `smile` through the analyzer on faces labelled by eye
 * (test/fixtures/eyes-mouth-labels.ts):
 * - face-api's sample photos (always): every clear pair of eyes right (18
 *   faces); mouths right but for at most 2 of 19 (measured: the pressed
 *   dark-lipstick lips of sample1 read as apart, the laughing woman of
 *   sample4 with only her upper teeth showing reads as closed); smiles right
 *   but for at most 1 of 18 (measured: all right; sample5's smile with
 *   teeth at x 598 is the closest call, 0.57);
 * - the labelled ../shared faces (skipped without ../shared): balanced
 *   accuracy (the mean of the two classes' recall, 50% by chance) measured
 *   79% for eyes, 92% for mouths, 91% for smiles; asserted above 70%, 85%
 *   and 85%.
 * Asking for smile alone runs the expression model but adds no expression
 * field; `models` names it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createAnalyzer } from '../../../src/analyzer.js';
import type { AnalysisResult, Analyzer } from '../../../src/types.js';
import { EYES_LABELS, MOUTH_LABELS, SAMPLE_EYES, SAMPLE_MOUTHS, SAMPLE_SMILES, SMILE_LABELS } from '../../fixtures/eyes-mouth-labels.js';
import { FACEAPI_SAMPLE_DIR } from '../../helpers/faceapi-reference.js';
import { REPO_ROOT } from '../../helpers/repo-root.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';

const DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer({ modelDir: TEST_STORE_DIR, poolSize: 1 });
});
after(() => analyzer?.close());

const ask = { attributes: ['eyes' as const, 'mouth' as const, 'smile' as const] };
type Face = AnalysisResult['faces'][number];

/** The face of a sample photo whose box starts nearest x (within 40 px). */
const faceAt = (faces: Face[], x: number) => faces.find((f) => Math.abs(f.box.x - x) < 40);

test('sample photos: every clear pair of eyes, all but at most 2 of 19 mouths and 1 of 18 smiles read as a person sees them', async () => {
  const results = new Map<number, AnalysisResult>();
  for (const sample of new Set([...SAMPLE_EYES, ...SAMPLE_MOUTHS, ...SAMPLE_SMILES].map((s) => s.sample))) {
    results.set(sample, await analyzer.analyze(path.join(FACEAPI_SAMPLE_DIR, `sample${sample}.jpg`), ask));
  }
  for (const { sample, x, open, seen } of SAMPLE_EYES) {
    const face = faceAt(results.get(sample)!.faces, x);
    assert.ok(face?.eyes, `sample${sample} x ${x}`);
    assert.equal(face.eyes.open, open, `sample${sample} x ${x} (${seen}): ${JSON.stringify(face.eyes)}`);
  }
  const wrong = SAMPLE_MOUTHS.filter(({ sample, x, open }) => faceAt(results.get(sample)!.faces, x)?.mouth?.open !== open);
  assert.ok(wrong.length <= 2, `wrong: ${wrong.map((w) => `sample${w.sample} x ${w.x} (${w.seen})`).join('; ')}`);
  const wrongSmiles = SAMPLE_SMILES.filter(({ sample, x, smiling }) => faceAt(results.get(sample)!.faces, x)?.smile?.smiling !== smiling);
  assert.ok(wrongSmiles.length <= 1, `wrong: ${wrongSmiles.map((w) => `sample${w.sample} x ${w.x} (${w.seen})`).join('; ')}`);
});

test('smile alone runs the expression model without adding its field, and gives the answer it gives beside expression', async () => {
  const photo = path.join(FACEAPI_SAMPLE_DIR, 'sample3.jpg');
  const alone = await analyzer.analyze(photo, { attributes: ['smile'] });
  const both = await analyzer.analyze(photo, { attributes: ['smile', 'expression'] });
  assert.equal(alone.models.expression, 'faceapi-expression');
  assert.equal(alone.faces.length, 3);
  for (const [i, face] of alone.faces.entries()) {
    assert.deepEqual(Object.keys(face), ['box', 'score', 'landmarks', 'smile']);
    assert.deepEqual(face.smile, both.faces[i]!.smile);
  }
});

/** The photo with a 25% grey border (UTKFace's tight crops are otherwise missed, see data/README.md), as the labels were made. */
async function padded(file: string): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(file).metadata();
  const pad = Math.round(Math.max(width, height) * 0.25);
  return sharp(file).extend({ top: pad, bottom: pad, left: pad, right: pad, background: { r: 128, g: 128, b: 128 } }).png().toBuffer();
}

/** Balanced accuracy of the attribute on the labelled faces (the largest face of each photo): `read` says whether a face is of the label `yes`. */
async function balancedAccuracy(labels: readonly (readonly [string, string, string])[], yes: string, read: (face: Face) => boolean | undefined) {
  const right = { yes: 0, no: 0 };
  const total = { yes: 0, no: 0 };
  for (const [set, file, label] of labels) {
    const result = await analyzer.analyze(await padded(path.join(DATA_DIR, set, 'images', file)), ask);
    const face = [...result.faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
    const truth = label === yes ? 'yes' : 'no';
    total[truth]++;
    const answer = face ? read(face) : undefined;
    // A face not found counts as wrong.
    if (answer !== undefined && answer === (truth === 'yes')) right[truth]++;
  }
  return { balanced: (right.yes / total.yes + right.no / total.no) / 2, right, total };
}

test('labelled faces of ../shared: balanced accuracy of eyes above 70%, of mouths and smiles above 85%', async (t) => {
  if (!existsSync(DATA_DIR)) return t.skip(`${DATA_DIR} is absent (evaluation data lives in ../shared)`);
  const eyes = await balancedAccuracy(EYES_LABELS, 'open', (f) => f.eyes?.open);
  const mouths = await balancedAccuracy(MOUTH_LABELS, 'open', (f) => f.mouth?.open);
  const smiles = await balancedAccuracy(SMILE_LABELS, 'smiling', (f) => f.smile?.smiling);
  t.diagnostic(`eyes ${JSON.stringify(eyes)}; mouths ${JSON.stringify(mouths)}; smiles ${JSON.stringify(smiles)}`);
  assert.ok(eyes.balanced > 0.7, JSON.stringify(eyes));
  assert.ok(mouths.balanced > 0.85, JSON.stringify(mouths));
  assert.ok(smiles.balanced > 0.85, JSON.stringify(smiles));
});
