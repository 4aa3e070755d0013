/**
 * The server process (src/server/start.ts): starts on PORT from the
 * environment, logs its URL and start-up time, and on SIGTERM finishes the
 * request in flight, then exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { it } from 'node:test';
import { sample } from './helpers.js';

it('logs URL and ready time, finishes in-flight work on SIGTERM and exits 0', { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/start.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', FACEREAD_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    const deadline = Date.now() + 90_000;
    while (!/FaceRead ready at/.test(log)) {
      assert.ok(Date.now() < deadline, `not ready in time:\n${log}`);
      assert.equal(child.exitCode, null, `exited early:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /FaceRead listening at (http:\/\/[^\s"]+)/.exec(log)?.[1];
    assert.ok(url, log);
    assert.match(log, /ready at http:\/\/127\.0\.0\.1:\d+ in \d+ ms/);

    const inFlight = fetch(`${url}/api/analyze`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: sample(5) });
    await new Promise((r) => setTimeout(r, 60));
    child.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { faces: unknown[] }).faces.length, 5);
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, log);
    assert.match(log, /SIGTERM: finishing requests in flight/);
    assert.doesNotMatch(log, /sample5|ffd8/i, 'nothing about the photo is logged but sizes and timings');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
