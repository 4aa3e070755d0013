import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadServerConfig, offeredProfiles } from '../../../src/server/config.js';

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
    ['empty profile in the list', { overrides: { profiles: ['default', ''] } }, /Expected a list of non-empty strings for profiles/],
    ['zero extra pool size', { env: { FACEREAD_EXTRA_POOL_SIZE: '0' } }, /Expected an integer between 1 and 64 for extraPoolSize \(FACEREAD_EXTRA_POOL_SIZE\)/],
    ['zero threads', { env: { FACEREAD_THREADS: '0' } }, /Expected an integer between 1 and 64 for threads \(FACEREAD_THREADS\) but received 0/],
    ['threads in words', { env: { FACEREAD_THREADS: 'two' } }, /threads \(FACEREAD_THREADS\) but received 'two'/],
  ];
  for (const [name, sources, message] of bad) {
    it(`refuses ${name} with INVALID_OPTION`, () => {
      assert.throws(() => loadServerConfig(sources), (error: Error & { code?: string }) => error.code === 'INVALID_OPTION' && message.test(error.message));
    });
  }
});

describe('FACEREAD_THREADS', () => {
  it('is unset by default (the library picks) and read as an integer', () => {
    assert.equal(loadServerConfig({ env: {} }).threads, null);
    assert.equal(loadServerConfig({ env: { FACEREAD_THREADS: '1' } }).threads, 1);
  });
});

describe('FACEREAD_PROFILES', () => {
  it('is read as a trimmed comma-separated list, empty by default, with one extra worker per other profile', () => {
    assert.deepEqual(loadServerConfig({ env: {} }).profiles, []);
    assert.equal(loadServerConfig({ env: {} }).extraPoolSize, 1);
    const config = loadServerConfig({ env: { FACEREAD_PROFILES: ' default, fast ,,accurate', FACEREAD_EXTRA_POOL_SIZE: '2' } });
    assert.deepEqual(config.profiles, ['default', 'fast', 'accurate']);
    assert.equal(config.extraPoolSize, 2);
    assert.ok(Object.isFrozen(config.profiles));
  });

  // [FACEREAD_PROFILE, FACEREAD_PROFILES, offered (the default first)]
  const cases: [string | undefined, string | undefined, string[]][] = [
    [undefined, undefined, ['default']],
    ['fast', undefined, ['fast']],
    [undefined, 'fast,default', ['fast', 'default']],
    ['default', 'default,fast', ['default', 'fast']],
    ['accurate', 'default,fast', ['accurate', 'default', 'fast']],
    ['fast', 'default,fast,fast', ['fast', 'default']],
  ];
  for (const [profile, profiles, offered] of cases) {
    it(`offers ${offered.join(', ')} for FACEREAD_PROFILE=${profile ?? ''} FACEREAD_PROFILES=${profiles ?? ''}`, () => {
      const env = { ...(profile ? { FACEREAD_PROFILE: profile } : {}), ...(profiles ? { FACEREAD_PROFILES: profiles } : {}) };
      assert.deepEqual(offeredProfiles(loadServerConfig({ env })), offered);
    });
  }
});
