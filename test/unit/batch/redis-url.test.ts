import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactRedisUrl, validateRedisUrl } from '../../../src/batch/redis-url.js';

test('validateRedisUrl accepts redis:// and rediss:// and refuses the rest', () => {
  for (const good of ['redis://127.0.0.1:6379', 'rediss://user:pw@cache.example:6380/2', 'redis://localhost']) assert.equal(validateRedisUrl(good), good);
  for (const bad of ['http://x', '127.0.0.1:6379', 'redis://', '', undefined]) {
    assert.throws(() => validateRedisUrl(bad), /Expected a URL like redis:\/\/\[user:password@\]host:port\[\/db\] for --redis/, String(bad));
  }
});

test('redactRedisUrl hides the password only', () => {
  assert.equal(redactRedisUrl('redis://user:secret@host:6379/1'), 'redis://user:***@host:6379/1');
  assert.equal(redactRedisUrl('redis://host:6379'), 'redis://host:6379');
});
