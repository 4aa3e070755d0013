/**
 * SIGTERM while the server is loaded: every request sent before the signal
 * gets its full answer, new connections are refused, the process exits 0,
 * and its log holds no image data and no API key.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { startServerProcess } from '../../helpers/server-process.js';
import { sample, SAMPLE_FACES } from '../server/helpers.js';

const API_KEY = 'k3y-that-must-never-be-logged-7f3a';

it('answers every request accepted before SIGTERM, then exits 0', { timeout: 180_000 }, async () => {
  // The server's temp folder: uploads must never land there (or anywhere on disk).
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'faceread-server-tmp-'));
  const server = await startServerProcess({ FACEREAD_API_KEY: API_KEY, FACEREAD_LOG_LEVEL: 'debug', TMPDIR: tmp });
  try {
    const photos = Array.from({ length: 14 }, (_, i) => (i % 6) + 1);
    let answered = 0;
    const pending = photos.map(async (n, i) => {
      const authorization = `Bearer ${API_KEY}`;
      // Half raw bodies, half multipart forms.
      const form = new FormData();
      form.append('image', new Blob([sample(n)], { type: 'image/jpeg' }), `sample${n}.jpg`);
      const response = await fetch(`${server.url}/api/analyze`, {
        method: 'POST',
        ...(i % 2 === 0 ? { headers: { 'content-type': 'image/jpeg', authorization }, body: sample(n) } : { headers: { authorization }, body: form }),
      });
      const body = (await response.json()) as { faces?: unknown[] };
      answered++;
      return { n, status: response.status, faces: body.faces?.length };
    });
    // Signal while most photos are still waiting or being analysed.
    while (answered < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    server.child.kill('SIGTERM');
    const answeredAtSignal = answered;
    const answers = await Promise.all(pending);
    assert.ok(answeredAtSignal < photos.length - 4, `photos were still in flight at the signal (${answeredAtSignal} answered)`);
    for (const answer of answers) {
      assert.equal(answer.status, 200, JSON.stringify(answer));
      assert.equal(answer.faces, SAMPLE_FACES[answer.n - 1], `sample${answer.n}`);
    }
    assert.equal(await server.exited, 0, server.log());
    await assert.rejects(fetch(`${server.url}/healthz`), 'no longer listening');
    const log = server.log();
    assert.match(log, /SIGTERM: finishing requests in flight/);
    assert.doesNotMatch(log, new RegExp(API_KEY), 'the API key is never logged');
    assert.doesNotMatch(log, /\/9j\/|ffd8ff|JFIF|Exif/i, 'no image bytes in the log');
    assert.match(log, /"bytes":\d+/, 'sizes are logged');
    // Node 22+ keeps its compile cache (src/compile-cache.ts) in the temp folder: code, not uploads.
    const written = (await readdir(tmp)).filter((name) => name !== 'node-compile-cache');
    assert.deepEqual(written, [], 'no upload was written to the temp folder');
  } finally {
    server.kill();
    await rm(tmp, { recursive: true, force: true });
  }
});
