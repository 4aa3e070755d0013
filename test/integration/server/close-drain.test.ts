/**
 * Closing stops new connections but answers a request already sent on an
 * open one: its upload may have come while the server's thread was busy,
 * just before the signal (src/server/app.ts, return503OnClosing).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { it } from 'node:test';
import { buildApp } from '../../../src/server/app.js';
import { fakeAnalyzer, sample, testConfig } from './helpers.js';

/** Blocks this thread (and so the server in it) for `ms`, as a busy event loop would. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

it('a photo sent before close, but read after it began, is analysed and answered with Connection: close', async () => {
  const app = await buildApp({ analyzer: fakeAnalyzer(), config: testConfig() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const body = sample(1);
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
  const ended = new Promise((resolve) => socket.once('close', resolve));
  socket.write(`POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: ${body.length}\r\n\r\n`);
  socket.write(body);
  // The bytes are on their way; the server cannot read them before close() has begun.
  busy(100);
  const closing = app.close();
  await ended;
  await closing;
  const [head] = answer.split('\r\n\r\n');
  assert.match(head!, /^HTTP\/1\.1 200 /, head);
  assert.match(head!, /\r\nconnection: close/i, head);
  // And the server no longer takes connections.
  await assert.rejects(
    new Promise((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', resolve).once('error', reject)),
    /ECONNREFUSED/,
  );
});
