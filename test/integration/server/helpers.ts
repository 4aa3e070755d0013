/**
 * Test helpers for the HTTP service: a controllable analyzer that
 * implements the `Analyzer` interface (for queue, timeout and error
 * mechanics), a multipart body builder, and the sample photos.
 */
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createAnalyzer } from '../../../src/analyzer.js';
import { buildApp } from '../../../src/server/app.js';
import { FaceReadError } from '../../../src/errors.js';
import { loadServerConfig, type ServerConfig } from '../../../src/server/config.js';
import type { AnalysisResult, AnalyzeOptions, Analyzer } from '../../../src/types.js';

export const SAMPLE_DIR = 'node_modules/@vladmandic/face-api/demo';
/** Faces in sample1..6.jpg, as face-api finds them. */
export const SAMPLE_FACES = [3, 3, 3, 4, 5, 4] as const;
export const sample = (n: number): Buffer => readFileSync(`${SAMPLE_DIR}/sample${n}.jpg`);

export const FAKE_RESULT: AnalysisResult = {
  image: { width: 100, height: 80 },
  faces: [
    {
      box: { x: 10, y: 10, width: 30, height: 40 },
      score: 0.95,
      gender: { label: 'female', probability: 0.97 },
      age: { years: 28, bucket: '25-32', range: [25, 32] },
    },
  ],
  timingsMs: { decode: 1, detect: 2, attributes: 3, total: 6 },
  models: { detector: 'fake', age: 'fake', gender: 'fake' },
};

export interface FakeAnalyzer extends Analyzer {
  calls: { bytes: number; options: AnalyzeOptions | undefined }[];
}

/**
 * An analyzer that takes `delayMs` per photo, one at a time per `slots`, honours the abort signal,
 * and throws a FaceReadError for bytes that start with "FAIL:<CODE>".
 */
export function fakeAnalyzer(settings: { delayMs?: number; slots?: number } = {}): FakeAnalyzer {
  const { delayMs = 0, slots = 1 } = settings;
  let running = 0;
  let queued = 0;
  const waiting: (() => void)[] = [];
  const calls: FakeAnalyzer['calls'] = [];
  return {
    calls,
    async analyze(input, options, control = {}) {
      const bytes = input as Buffer;
      calls.push({ bytes: bytes.length, options });
      queued++;
      if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
      queued--;
      running++;
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, delayMs);
          control.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new FaceReadError('TIMEOUT', 'aborted'));
          });
        });
        const text = bytes.subarray(0, 40).toString('latin1');
        const failure = /^FAIL:([A-Z_]+)/.exec(text);
        if (failure) throw new FaceReadError(failure[1] as 'IMAGE_UNDECODABLE', `fake failure ${failure[1]}`);
        return structuredClone(FAKE_RESULT);
      } finally {
        running--;
        waiting.shift()?.();
      }
    },
    load: () => ({ queued, running }),
    close: async () => {},
  };
}

export function testConfig(overrides: Partial<ServerConfig> = {}): Readonly<ServerConfig> {
  return loadServerConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', ...overrides } });
}

/** A multipart/form-data body with the given file parts (and optional text fields). */
export function multipart(
  files: { field?: string; filename?: string; type?: string; data: Buffer | string }[],
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----faceread${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'image'}"; filename="${file.filename ?? 'photo.jpg'}"\r\n` +
          `Content-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Where a suite's real server listens; filled in by its `before` hook. */
export interface RealServer {
  base: string;
}

/**
 * Registers `before`/`after` hooks in the calling suite that start the real
 * analyzer (its worker pool) behind the app on a loopback port, and close both.
 */
export function useRealServer(): RealServer {
  const server: RealServer = { base: '' };
  let analyzer: Analyzer | undefined;
  let app: FastifyInstance | undefined;
  before(async () => {
    analyzer = await createAnalyzer();
    app = await buildApp({ analyzer, config: testConfig() });
    server.base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app?.close();
    await analyzer?.close();
  });
  return server;
}
