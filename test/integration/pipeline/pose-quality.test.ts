/**
 * `pose` and `quality` through the analyzer on face-api's sample photos:
 * - pose: a mirrored photo keeps pitch and flips yaw's sign (all six
 *   photos, 22 faces; measured with the refined landmarks, runner-types.ts
 *   `refine68`: pitch within 1.9 degrees, 0.5 on average, asserted each
 *   < 3 and mean < 1; |yaw + mirrored yaw| at most 3.6, on sample2's face
 *   turned 67 degrees, asserted < 5; the sign on faces turned more than 10
 *   degrees); a photo turned 90/180/270 degrees changes roll by that much
 *   (within 3); every face of samples 1, 3 and 5 within |yaw| < 45 and
 *   |pitch| < 30 (people facing the camera, as a person sees them);
 * - quality: sharpness falls strictly as the photo is blurred (sigma 0, 1,
 *   2, 4); brightness follows a linear darkening (within 6%: the darker
 *   photo's boxes move a little).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import sharp from 'sharp';
import { createAnalyzer } from '../../../src/analyzer.js';
import type { AnalysisResult, Analyzer } from '../../../src/types.js';
import { FACEAPI_SAMPLE_DIR } from '../../helpers/faceapi-reference.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer({ modelDir: TEST_STORE_DIR, poolSize: 1 });
});
after(() => analyzer?.close());

const photo = (sample: number) => sharp(path.join(FACEAPI_SAMPLE_DIR, `sample${sample}.jpg`));
const ask = { attributes: ['pose' as const, 'quality' as const] };
type Face = AnalysisResult['faces'][number];
const centreX = (f: Face) => f.box.x + f.box.width / 2;
const centreY = (f: Face) => f.box.y + f.box.height / 2;
/** The face of `faces` whose centre is nearest (x, y), within half the face's size. */
const near = (faces: Face[], x: number, y: number, size: number) => faces.find((f) => Math.hypot(centreX(f) - x, centreY(f) - y) < size / 2);

test('pose: a mirrored photo keeps pitch within 3 degrees and flips yaw, on every face of the six samples', async () => {
  const pitchDiffs: number[] = [];
  for (const sample of [1, 2, 3, 4, 5, 6]) {
    const upright = await analyzer.analyze(await photo(sample).png().toBuffer(), ask);
    const mirrored = await analyzer.analyze(await photo(sample).flop().png().toBuffer(), ask);
    assert.ok(upright.faces.length > 0);
    for (const f of upright.faces) {
      const twin = near(mirrored.faces, upright.image.width - centreX(f), centreY(f), f.box.width);
      const where = `sample${sample}, face at x ${Math.round(f.box.x)}`;
      assert.ok(twin, `mirror of the ${where}`);
      if (Math.abs(f.pose!.yaw) > 10) assert.equal(Math.sign(twin.pose!.yaw), -Math.sign(f.pose!.yaw), `${where}: yaw ${f.pose!.yaw} vs ${twin.pose!.yaw}`);
      assert.ok(Math.abs(twin.pose!.yaw + f.pose!.yaw) < 5, `${where}: yaw ${f.pose!.yaw} vs ${twin.pose!.yaw}`);
      assert.ok(Math.abs(twin.pose!.pitch - f.pose!.pitch) < 3, `${where}: pitch ${f.pose!.pitch} vs ${twin.pose!.pitch}`);
      pitchDiffs.push(Math.abs(twin.pose!.pitch - f.pose!.pitch));
    }
  }
  assert.ok(pitchDiffs.length >= 20, `${pitchDiffs.length} faces`);
  assert.ok(pitchDiffs.reduce((a, b) => a + b, 0) / pitchDiffs.length < 1, `pitch differences ${pitchDiffs}`);
});

for (const sample of [1, 3, 5]) {
  test(`sample${sample}: turned changes roll by the turn; plausible ranges`, async () => {
    const upright = await analyzer.analyze(await photo(sample).png().toBuffer(), ask);
    const { width, height } = upright.image;
    assert.ok(upright.faces.length > 0);
    for (const f of upright.faces) assert.ok(Math.abs(f.pose!.yaw) < 45 && Math.abs(f.pose!.pitch) < 30, JSON.stringify(f.pose));

    for (const turn of [90, 180, 270]) {
      const turned = await analyzer.analyze(await photo(sample).rotate(turn).png().toBuffer(), { ...ask, orientation: 'auto' });
      for (const f of upright.faces) {
        const [x, y] = turn === 90 ? [height - centreY(f), centreX(f)] : turn === 180 ? [width - centreX(f), height - centreY(f)] : [centreY(f), width - centreX(f)];
        const twin = near(turned.faces, x, y, f.box.width);
        if (!twin) continue;
        const change = ((((twin.pose!.roll - f.pose!.roll - turn) % 360) + 540) % 360) - 180;
        assert.ok(Math.abs(change) < 3, `turn ${turn}: roll ${f.pose!.roll} -> ${twin.pose!.roll}`);
      }
    }
  });
}

test('quality: sharpness falls as the photo is blurred; brightness follows a linear darkening', async () => {
  const sharpness: number[][] = [];
  const reference = await analyzer.analyze(await photo(3).png().toBuffer(), ask);
  for (const sigma of [0, 1, 2, 4]) {
    const blurred = sigma === 0 ? reference : await analyzer.analyze(await photo(3).blur(sigma).png().toBuffer(), ask);
    sharpness.push(reference.faces.map((f) => near(blurred.faces, centreX(f), centreY(f), f.box.width)?.quality?.sharpness ?? NaN));
  }
  for (let face = 0; face < reference.faces.length; face++) {
    const series = sharpness.map((row) => row[face]!);
    assert.ok(series.every((v, k) => k === 0 || v < series[k - 1]!), `face ${face}: ${series}`);
  }
  let compared = 0;
  for (const factor of [0.75, 0.5]) {
    const darker = await analyzer.analyze(await photo(3).linear(factor, 0).png().toBuffer(), ask);
    for (const f of reference.faces) {
      const twin = near(darker.faces, centreX(f), centreY(f), f.box.width);
      if (!twin) continue;
      compared++;
      const ratio = twin.quality!.brightness / f.quality!.brightness;
      assert.ok(Math.abs(ratio - factor) < 0.06 * factor, `factor ${factor}: ${f.quality!.brightness} -> ${twin.quality!.brightness}`);
    }
  }
  assert.ok(compared >= 3, `${compared} faces compared`);
});
