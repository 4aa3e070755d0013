/**
 * A client trickling its upload (slowloris) holds no analysis slot while it
 * sends, other clients are served meanwhile, and the server drops it once
 * the request timeout passes.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildApp } from '../../../src/server/app.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { FAKE_RESULT, fakeAnalyzer, testConfig } from '../server/helpers.js';

it('a trickled upload holds no analysis slot and is dropped after the request timeout', { timeout: 60_000 }, async () => {
  const analyzer = fakeAnalyzer({ delayMs: 20, slots: 1 });
  // The socket bound is the analysis timeout plus 10 s (see buildApp): 11 s here.
  const app = await buildApp({ analyzer, config: testConfig({ requestTimeoutMs: 1000, queueLimit: 1 }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  try {
    const body = Buffer.alloc(200_000, 0xab);
    const raw = (type: string, length: number) => `POST /api/analyze HTTP/1.1\nHost: 127.0.0.1\nContent-Type: ${type}\nContent-Length: ${length}\n`;
    // One byte every 100 ms: 200 KB would take 5 hours.
    const slowRaw = rawRequest(port, raw('image/jpeg', body.length), body, { trickle: { bytes: 1, everyMs: 100 }, timeoutMs: 40_000 });
    const boundary = 'slowboundary';
    const form = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), body]);
    const slowForm = rawRequest(port, raw(`multipart/form-data; boundary=${boundary}`, form.length + 100), form, { trickle: { bytes: 1, everyMs: 100 }, timeoutMs: 40_000 });

    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(app.analysisGate.load().admitted, 0, 'the trickling clients hold no analysis slot');
    // queueLimit 1: were a slot taken, this would be 503.
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ method: 'POST', url: '/api/analyze', headers: { 'content-type': 'image/jpeg' }, payload: Buffer.from('photo') });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().faces.length, FAKE_RESULT.faces.length);
    }

    const [rawAnswer, formAnswer] = await Promise.all([slowRaw, slowForm]);
    for (const answer of [rawAnswer, formAnswer]) {
      // Dropped by the server well before the client gave up at 40 s.
      assert.ok(answer.elapsedMs < 30_000, `dropped after ${Math.round(answer.elapsedMs)} ms`);
      assert.ok(answer.elapsedMs > 5_000, 'not before the timeout');
      assert.equal(answer.status, 400, answer.headers);
      assert.match(answer.body, /"code":"BAD_REQUEST","message":"The request was not received in time\."/);
    }
    assert.equal(analyzer.calls.length, 3, 'only the complete uploads reached the analyzer');
  } finally {
    await app.close();
  }
});
