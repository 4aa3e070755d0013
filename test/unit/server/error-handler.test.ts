import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ERROR_CODES, FaceReadError } from '../../../src/errors.js';
import { toClientError } from '../../../src/server/plugins/error-handler.js';

it('maps framework errors to registered codes and hides unknown ones', () => {
  const cases: [unknown, string, number][] = [
    [new FaceReadError('TIMEOUT', 'slow'), 'TIMEOUT', 504],
    [Object.assign(new Error('x'), { code: 'FST_REQ_FILE_TOO_LARGE', statusCode: 413 }), 'IMAGE_TOO_LARGE', 413],
    [Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }), 'IMAGE_TOO_LARGE', 413],
    [Object.assign(new Error('x'), { code: 'FST_FILES_LIMIT', statusCode: 413 }), 'TOO_MANY_FILES', 413],
    [Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), 'UNSUPPORTED_MEDIA_TYPE', 415],
    [Object.assign(new Error('querystring/minScore must be <= 1'), { validation: [{}], statusCode: 400 }), 'INVALID_OPTION', 400],
    [Object.assign(new Error('bad length'), { code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', statusCode: 400 }), 'BAD_REQUEST', 400],
    [Object.assign(new Error('slow down'), { statusCode: 429 }), 'RATE_LIMITED', 429],
    [new TypeError('secret internals at /home/x'), 'INTERNAL_ERROR', 500],
  ];
  for (const [error, code, status] of cases) {
    const mapped = toClientError(error);
    assert.equal(mapped.code, code, String(error));
    assert.equal(mapped.statusCode, status);
    assert.equal(ERROR_CODES[mapped.code].statusCode, status);
  }
  assert.doesNotMatch(toClientError(new TypeError('secret internals at /home/x')).message, /secret|home/);
});
