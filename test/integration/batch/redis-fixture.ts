/**
 * A Redis for the batch tests: $FACEREAD_TEST_REDIS when set (CI starts one),
 * else a throw-away `redis-server` on a free loopback port, else a reason
 * to skip (Debian: apt-get install redis-server).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { openBatch } from '../../../src/batch/batch-queue.js';
import { unregisterBatch } from '../../../src/batch/batch-registry.js';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => { socket.destroy(); resolve(data.toString().startsWith('+PONG')); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A Redis to use, or a string saying why the tests skip. `own`: always a throw-away redis-server,
 * never the shared $FACEREAD_TEST_REDIS (for tests that stop it).
 */
export async function startTestRedis(options: { own?: boolean } = {}): Promise<TestRedis | string> {
  const given = process.env.FACEREAD_TEST_REDIS;
  if (given && !options.own) return { url: given, stop: async () => {} };
  if (spawnSync('redis-server', ['--version']).error) {
    return 'redis-server is not installed (Debian: apt-get install redis-server) and FACEREAD_TEST_REDIS is not set';
  }
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await answers(port))) {
    child.kill('SIGKILL');
    return `redis-server did not answer on 127.0.0.1:${port}`;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** A batch name no other test run uses, so a shared Redis stays usable. */
export function uniqueBatchName(label: string): string {
  return `test-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Deletes a test batch: its queue with every job, and its registry entry. */
export async function removeBatch(url: string, name: string): Promise<void> {
  const batch = await openBatch(url, name, { mustExist: false });
  await batch.queue.obliterate({ force: true });
  await unregisterBatch(batch.redis, name);
  await batch.close();
}
