/**
 * The API over a real socket with the real analyzer (createAnalyzer and
 * its worker pool): the six face-api sample photos give their known face
 * counts through multipart, raw and batch requests; bad files get their codes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisResult } from '../../../src/types.js';

type Batch = { results: { filename: string; result: AnalysisResult; error: { code: string } }[] };
import { SAMPLE_FACES, sample, useRealServer } from './helpers.js';

describe('API with the real analyzer over a socket', () => {
  const server = useRealServer();

  const postForm = (files: { data: Buffer; name: string; type?: string }[], path = '/api/analyze') => {
    const form = new FormData();
    for (const file of files) form.append('image', new Blob([file.data], { type: file.type ?? 'image/jpeg' }), file.name);
    return fetch(`${server.base}${path}`, { method: 'POST', body: form });
  };

  it('finds the known faces of each sample photo (multipart, field image)', async () => {
    for (const [i, expected] of SAMPLE_FACES.entries()) {
      const response = await postForm([{ data: sample(i + 1), name: `sample${i + 1}.jpg` }]);
      assert.equal(response.status, 200);
      const result = (await response.json()) as AnalysisResult;
      assert.equal(result.faces.length, expected, `sample${i + 1}.jpg`);
      for (const face of result.faces) {
        assert.ok(face.score >= 0.5 && face.score <= 1);
        assert.ok(face.gender!.probability >= 0.5 && face.gender!.probability <= 1);
        assert.ok(['female', 'male'].includes(face.gender!.label));
        assert.ok(face.age!.years > 0 && face.age!.years < 100);
        assert.ok(face.box.x >= 0 && face.box.x + face.box.width <= result.image.width + 1);
      }
      assert.ok(result.timingsMs.total > 0);
    }
  });

  it('accepts the photo as a raw image/jpeg body', async () => {
    const response = await fetch(`${server.base}/api/analyze`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: sample(4) });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as AnalysisResult).faces.length, 4);
  });

  it('analyses a batch of all six in order', async () => {
    const files = SAMPLE_FACES.map((_, i) => ({ data: sample(i + 1), name: `sample${i + 1}.jpg` }));
    const response = await postForm(files, '/api/analyze/batch');
    assert.equal(response.status, 200);
    const { results } = (await response.json()) as Batch;
    assert.deepEqual(results.map((r) => r.result.faces.length), [...SAMPLE_FACES]);
    assert.deepEqual(results.map((r) => r.filename), files.map((f) => f.name));
  });

  it('422 for a truncated JPEG and 415 for a text file, also inside a batch', async () => {
    const truncated = sample(1).subarray(0, 2000);
    const bad = await postForm([{ data: truncated, name: 'cut.jpg' }]);
    assert.equal(bad.status, 422);
    assert.equal(((await bad.json()) as Batch['results'][number]).error.code, 'IMAGE_UNDECODABLE');
    const text = await postForm([{ data: Buffer.from('hello, not a photo'), name: 'notes.txt', type: 'text/plain' }]);
    assert.equal(text.status, 415);
    assert.equal(((await text.json()) as Batch['results'][number]).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    const batch = await postForm([{ data: sample(2), name: 'ok.jpg' }, { data: Buffer.from('nope'), name: 'n.txt', type: 'text/plain' }], '/api/analyze/batch');
    const { results } = (await batch.json()) as Batch;
    assert.equal(results[0].result.faces.length, 3);
    assert.equal(results[1].error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('keeps /healthz fast while photos are analysed', async () => {
    const load = Array.from({ length: 8 }, (_, i) => postForm([{ data: sample((i % 6) + 1), name: 'x.jpg' }]));
    const started = performance.now();
    const health = await fetch(`${server.base}/healthz`);
    const ms = performance.now() - started;
    assert.equal(health.status, 200);
    assert.ok(ms < 250, `healthz took ${ms.toFixed(0)} ms under load`);
    const statuses = await Promise.all(load.map(async (r) => (await r).status));
    assert.deepEqual(statuses, Array(8).fill(200));
  });

  it('returns an annotated JPEG of the oriented photo', async () => {
    const response = await fetch(`${server.base}/api/analyze?annotate=true`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', accept: 'image/jpeg' },
      body: sample(1),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/jpeg');
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8]);
    assert.ok(bytes.length > 10_000);
  });
});
