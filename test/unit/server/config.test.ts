import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadServerConfig } from '../../../src/server/config.js';

describe('loadServerConfig', () => {
  it('has documented defaults and is frozen', () => {
    const config = loadServerConfig({ env: {} });
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.maxUploadBytes, 15 * 1024 * 1024);
    assert.equal(config.apiKey, null);
    assert.deepEqual(config.corsOrigins, []);
    assert.ok(Object.isFrozen(config));
    assert.throws(() => ((config as { port: number }).port = 1), TypeError);
  });

  it('reads the environment, and overrides win over it', () => {
    const env = { PORT: '8080', HOST: '0.0.0.0', FACEREAD_API_KEY: 'k', FACEREAD_CORS_ORIGINS: 'https://a.example, https://b.example', FACEREAD_TRUST_PROXY: 'yes' };
    const config = loadServerConfig({ env, overrides: { port: 9090 } });
    assert.equal(config.port, 9090);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.apiKey, 'k');
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.trustProxy, true);
  });

  const bad: [string, Parameters<typeof loadServerConfig>[0], RegExp][] = [
    ['port out of range', { env: { PORT: '70000' } }, /Expected an integer between 0 and 65535 for port \(PORT\) but received 70000/],
    ['non-numeric size', { env: { FACEREAD_MAX_UPLOAD_BYTES: '15MB' } }, /maxUploadBytes \(FACEREAD_MAX_UPLOAD_BYTES\) but received '15MB'/],
    ['bad log level', { env: { FACEREAD_LOG_LEVEL: 'loud' } }, /one of: fatal, error, warn, info, debug, trace, silent/],
    ['bad boolean', { env: { FACEREAD_TRUST_PROXY: 'maybe' } }, /a boolean/],
    ['unknown override', { overrides: { colour: 'red' } as never }, /server option/],
    ['zero queue', { overrides: { queueLimit: 0 } }, /queueLimit/],
  ];
  for (const [name, sources, message] of bad) {
    it(`refuses ${name} with INVALID_OPTION`, () => {
      assert.throws(() => loadServerConfig(sources), (error: Error & { code?: string }) => error.code === 'INVALID_OPTION' && message.test(error.message));
    });
  }
});
