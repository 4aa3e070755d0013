import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnrecoverableError } from 'bullmq';
import { FaceReadError, type ErrorCode } from '../../../src/errors.js';
import { parseFailedReason, PERMANENT_ERROR_CODES, toJobError } from '../../../src/batch/job-failure.js';

test('input errors become UnrecoverableError (no retries); machine errors stay retryable', () => {
  const cases: [ErrorCode, boolean][] = [
    ['IMAGE_UNDECODABLE', true], ['IMAGE_TOO_MANY_PIXELS', true], ['UNSUPPORTED_MEDIA_TYPE', true],
    ['NOT_FOUND', false], ['WORKER_CRASHED', false], ['MODEL_UNAVAILABLE', false], ['TIMEOUT', false],
  ];
  for (const [code, permanent] of cases) {
    const error = toJobError(new FaceReadError(code, 'why'));
    assert.equal(error instanceof UnrecoverableError, permanent, code);
    assert.equal(PERMANENT_ERROR_CODES.has(code), permanent, code);
    assert.equal(error.message, `${code}: why`);
  }
  const unknown = toJobError(new TypeError('boom'));
  assert.ok(!(unknown instanceof UnrecoverableError));
  assert.equal(unknown.message, 'INTERNAL_ERROR: boom');
});

test('parseFailedReason reads the code back; foreign reasons are INTERNAL_ERROR', () => {
  assert.deepEqual(parseFailedReason('IMAGE_UNDECODABLE: bad\nsecond line'), { code: 'IMAGE_UNDECODABLE', message: 'bad\nsecond line' });
  assert.deepEqual(parseFailedReason(toJobError(new FaceReadError('NOT_FOUND', 'Cannot read x: no such file')).message), { code: 'NOT_FOUND', message: 'Cannot read x: no such file' });
  assert.deepEqual(parseFailedReason('job stalled more than allowable limit'), { code: 'INTERNAL_ERROR', message: 'job stalled more than allowable limit' });
  assert.deepEqual(parseFailedReason('NOT_A_CODE: x'), { code: 'INTERNAL_ERROR', message: 'NOT_A_CODE: x' });
  assert.equal(parseFailedReason(undefined).code, 'INTERNAL_ERROR');
});
