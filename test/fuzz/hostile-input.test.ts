/**
 * Hostile and broken input, CI share of `npm run fuzz`: the crafted files
 * (bombs, SVG, PDF, huge EXIF, awkward formats) with the exact answer each
 * must get, a fixed-seed sample of mutated files through the library and
 * `POST /api/analyze` (no 5xx, no crash, memory back to its level), and
 * requests with hostile framing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createAnalyzer } from '../../src/analyzer.js';
import { isFaceReadError } from '../../src/errors.js';
import { buildApp } from '../../src/server/app.js';
import type { Analyzer } from '../../src/types.js';
import { TEST_STORE_DIR } from '../helpers/test-store.js';
import { settledMemoryMb } from '../helpers/memory.js';
import { sample, SAMPLE_FACES, testConfig } from '../integration/server/helpers.js';
import { fuzzCases, loadCaseMaterial, type CaseMaterial } from './fuzz-cases.js';
import { formatTally, runFuzz } from './fuzz-runner.js';
import { checkHostileRequest, hostileRequests } from './hostile-requests.js';

const SEED = 20261124;
const SAMPLE_CASES = 300;

/** What each crafted file must give through the library: 'ok' or an error code. */
const EXPECTED: Record<string, string> = {
  'zero bytes': 'IMAGE_UNDECODABLE',
  zeros: 'UNSUPPORTED_MEDIA_TYPE',
  'png bomb 50000x50000': 'IMAGE_TOO_MANY_PIXELS',
  'png bomb 65535x65535': 'IMAGE_TOO_MANY_PIXELS',
  'jpeg claiming 65500x65500': 'IMAGE_TOO_MANY_PIXELS',
  'jpeg claiming 0x0': 'IMAGE_UNDECODABLE',
  'png claiming 7000x7000 (under 50M px, data missing)': 'IMAGE_UNDECODABLE',
  'jpeg truncated to its header': 'IMAGE_UNDECODABLE',
  svg: 'UNSUPPORTED_MEDIA_TYPE',
  'svg sent as jpeg': 'UNSUPPORTED_MEDIA_TYPE',
  pdf: 'UNSUPPORTED_MEDIA_TYPE',
  'jpeg with 6 MB of exif': 'ok',
  '1x1 png': 'ok',
  '65535x1 png': 'ok',
  '1x65535 png': 'ok',
  'cmyk jpeg': 'ok',
  '16-bit png': 'ok',
  'palette png': 'ok',
  'grey png with alpha': 'ok',
  'animated gif': 'ok',
  'animated webp': 'ok',
  'jpeg rotated by exif (6)': 'ok',
  'jpeg with exif orientation 9': 'ok',
};

describe('hostile input', { timeout: 300_000 }, () => {
  let analyzer: Analyzer;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let baseUrl: string;
  let material: CaseMaterial;

  before(async () => {
    analyzer = await createAnalyzer({ modelDir: TEST_STORE_DIR, poolSize: 2 });
    app = await buildApp({ analyzer, config: testConfig() });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    material = await loadCaseMaterial(SEED);
  });
  after(async () => {
    await app?.close();
    await analyzer?.close();
  });

  it('gives each crafted file its documented answer, with a message naming the problem', async () => {
    for (const file of material.fixed) {
      const expected = EXPECTED[file.name];
      if (!expected) continue;
      const outcome = await analyzer.analyze(file.bytes).then(
        (result) => {
          assert.ok(result.image.width >= 1 && result.image.height >= 1, file.name);
          return 'ok';
        },
        (error: unknown) => (isFaceReadError(error) ? error.code : `unexpected ${String(error)}`),
      );
      assert.equal(outcome, expected, file.name);
    }
    const bomb = material.fixed.find((file) => file.name === 'png bomb 50000x50000')!;
    assert.ok(bomb.bytes.length < 1000, 'the bomb is a tiny file');
    await assert.rejects(analyzer.analyze(bomb.bytes), /50000x50000 = 2500000000 pixels, more than the limit of 50000000/);
    const response = await fetch(`${baseUrl}/api/analyze`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: bomb.bytes });
    assert.equal(response.status, 422);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'IMAGE_TOO_MANY_PIXELS');
  });

  it(`a fixed-seed sample of ${SAMPLE_CASES} mutated and generated files: no 5xx, no crash, memory back to its level`, async () => {
    const cases = [...fuzzCases(SEED, SAMPLE_CASES, material)];
    const warm = await runFuzz(cases.slice(0, 100), { analyzer, baseUrl, concurrency: 4 });
    const before = await settledMemoryMb();
    const rest = await runFuzz(cases.slice(100), { analyzer, baseUrl, concurrency: 4 });
    const afterwards = await settledMemoryMb();
    const failures = [...warm.failures, ...rest.failures];
    assert.deepEqual(failures, [], `${formatTally(rest)}\n${JSON.stringify(failures.slice(0, 5), null, 1)}`);
    const outcomes = [...warm.counts.keys(), ...rest.counts.keys()];
    assert.ok(outcomes.includes('http 200') && outcomes.includes('http 422 IMAGE_UNDECODABLE') && outcomes.includes('http 415 UNSUPPORTED_MEDIA_TYPE'), 'the sample reaches results, 422s and 415s');
    // Generous bounds: they catch uploads or pixels kept per request, not allocator noise.
    assert.ok(afterwards.rss < before.rss * 1.25, `RSS ${before.rss.toFixed(0)} -> ${afterwards.rss.toFixed(0)} MB`);
    assert.ok(afterwards.arrayBuffers < before.arrayBuffers + 32, `buffers ${before.arrayBuffers.toFixed(1)} -> ${afterwards.arrayBuffers.toFixed(1)} MB`);
  });

  it('still analyses every sample photo right afterwards, each answer for its own photo', async () => {
    const photos = [1, 2, 3, 4, 5, 6].map(sample);
    const expectedSizes = await Promise.all(photos.map((photo) => sharp(photo).metadata()));
    const results = await Promise.all(
      photos.map(async (photo) => {
        const response = await fetch(`${baseUrl}/api/analyze`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: photo });
        return (await response.json()) as { image: { width: number; height: number }; faces: unknown[] };
      }),
    );
    results.forEach((result, i) => {
      assert.deepEqual(result.image, { width: expectedSizes[i]!.width, height: expectedSizes[i]!.height });
      assert.equal(result.faces.length, SAMPLE_FACES[i], `sample${i + 1}`);
    });
  });

  it('answers requests with hostile framing with their documented status and code', async () => {
    const photo = await sharp(sample(1)).resize({ width: 320 }).jpeg().toBuffer();
    const port = (app.server.address() as { port: number }).port;
    for (const request of hostileRequests(photo, testConfig().maxBatchFiles)) {
      const { answer, problem } = await checkHostileRequest(port, request);
      assert.equal(problem, null, `${request.name}: ${problem}`);
      assert.ok(answer.elapsedMs < 10_000, `${request.name} answered at once, not after a timeout`);
    }
  });

  it('words a bad query option with its name, the allowed values and the value received', async () => {
    const post = (query: string) => fetch(`${baseUrl}/api/analyze?${query}`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: sample(1) }).then((r) => r.json());
    const unknown = (await post('minScor=0.5')) as { error: { message: string } };
    assert.match(unknown.error.message, /Unknown query option 'minScor'\. Should be one of: minScore, maxFaces, attributes, orientation, models, format, annotate/);
    const range = (await post('maxFaces=0')) as { error: { message: string } };
    assert.match(range.error.message, /maxFaces: must be >= 1 \(received 0\)/);
    const attributes = (await post('attributes=age,hair')) as { error: { message: string } };
    assert.match(attributes.error.message, /attributes: .*\(received 'age,hair'\).*`age`, `gender`/);
  });
});
