/**
 * The classic projection: boxes truncated like the classic app's int(), the
 * capitalised gender, the age bucket (argmax of bucket probabilities, else
 * the years' bucket), "0.12s", and errors with the classic texts, statuses
 * and FaceRead's code in a header.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CODES, FaceReadError, type ErrorCode } from '../../../src/errors.js';
import { CLASSIC_STATUS, classicAge, classicAnswer, classicBbox, classicError, classicFace, classicJson, wantsClassic } from '../../../src/server/classic-format.js';
import { preferredLanguages } from '../../../src/server/page-messages.js';
import { ImageMissingError } from '../../../src/server/upload.js';
import type { AnalysisResult } from '../../../src/types.js';

describe('classicBbox', () => {
  const cases: [string, { x: number; y: number; width: number; height: number }, number[]][] = [
    ['whole pixels stay', { x: 10, y: 20, width: 30, height: 40 }, [10, 20, 30, 40]],
    ['corners truncated, size between them', { x: 10.7, y: 5.2, width: 20.6, height: 30.9 }, [10, 5, 21, 31]],
    ['a size under a pixel', { x: 3.9, y: 3.9, width: 0.2, height: 0.05 }, [3, 3, 1, 0]],
  ];
  for (const [what, box, expected] of cases) {
    it(what, () => {
      const bbox = classicBbox(box);
      assert.deepEqual(bbox, expected);
      assert.ok(bbox.every(Number.isInteger));
    });
  }
});

describe('classicAge', () => {
  it('takes the most probable bucket where the model gives bucket probabilities', () => {
    // Years 30.5 fall in 25-32, but the argmax bucket (what the classic app shows) is 38-43.
    assert.equal(classicAge({ years: 30.5, bucket: '25-32', bucketProbabilities: [0, 0, 0, 0.1, 0.3, 0.4, 0.2, 0] }), '38-43');
  });
  it('takes the bucket of the years otherwise', () => {
    assert.equal(classicAge({ years: 23, bucket: '25-32' }), '25-32');
    assert.equal(classicAge({ years: 23, bucket: '25-32', bucketProbabilities: [1, 0] }), '25-32', 'a malformed list is ignored');
  });
  it('keeps the first bucket on a tie, as argmax does', () => {
    assert.equal(classicAge({ years: 5, bucket: '4-6', bucketProbabilities: [0.5, 0.5, 0, 0, 0, 0, 0, 0] }), '0-2');
  });
});

describe('classicAnswer', () => {
  const result: AnalysisResult = {
    image: { width: 640, height: 480 },
    faces: [
      { box: { x: 100.4, y: 50.6, width: 80.3, height: 90.2 }, score: 0.9, gender: { label: 'male', probability: 0.8 }, age: { years: 40, bucket: '38-43' } },
      { box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.6, gender: { label: 'female', probability: 0.9 } },
    ],
    timingsMs: { decode: 10, detect: 80, attributes: 30, total: 124.6 },
    models: { detector: 'd', age: 'a', gender: 'g' },
  };

  it('has exactly the classic keys, in the order Flask sends them (sorted)', () => {
    const answer = classicAnswer(result);
    assert.deepEqual(answer, {
      processing_time: '0.12s',
      results: [
        { age: '38-43', bbox: [100, 50, 80, 90], gender: 'Male' },
        { bbox: [0, 0, 10, 10], gender: 'Female' },
      ],
    });
    assert.deepEqual(Object.keys(answer), ['processing_time', 'results']);
    assert.deepEqual(Object.keys(classicFace(result.faces[0]!)), ['age', 'bbox', 'gender']);
  });

  it('writes the time in seconds with two decimals', () => {
    for (const [ms, text] of [[0, '0.00s'], [4.9, '0.00s'], [5, '0.01s'], [1234.5, '1.23s']] as const) {
      assert.equal(classicAnswer({ ...result, timingsMs: { ...result.timingsMs, total: ms } }).processing_time, text);
    }
  });

  it('answers no faces as an empty list', () => {
    assert.deepEqual(classicAnswer({ ...result, faces: [] }).results, []);
  });
});

describe('wantsClassic', () => {
  const cases: [unknown, 'faceread' | 'classic', boolean][] = [
    [undefined, 'faceread', false],
    [undefined, 'classic', true],
    ['classic', 'faceread', true],
    ['faceread', 'classic', false],
    ['other', 'classic', true],
  ];
  for (const [format, server, expected] of cases) {
    it(`format=${String(format)} on a ${server} server: ${expected ? 'classic' : 'FaceRead'}`, () => assert.equal(wantsClassic(format, server), expected));
  }
});

describe('classicError', () => {
  const zh = { IMAGE_UNDECODABLE: '图片已损坏或不完整，无法读取。' };

  it("answers the classic app's two upload checks in its Chinese texts with 400", () => {
    const noFile = classicError(new ImageMissingError('no-file'), 'en', zh);
    assert.deepEqual(noFile, { statusCode: 400, body: { error: '没有上传图片' }, headers: { 'x-faceread-error-code': 'IMAGE_MISSING' } });
    assert.equal(classicError(new ImageMissingError('no-file-name'), 'en', zh).body.error, '没有选择文件');
    assert.equal(classicError(new ImageMissingError('empty-file'), 'zh-CN', zh).body.error, '没有上传图片');
  });

  it("answers other errors with FaceRead's message in the request's language", () => {
    const error = new FaceReadError('IMAGE_UNDECODABLE', 'The image cannot be decoded: truncated');
    assert.deepEqual(classicError(error, 'en', zh), { statusCode: 500, body: { error: 'The image cannot be decoded: truncated' }, headers: { 'x-faceread-error-code': 'IMAGE_UNDECODABLE' } });
    assert.equal(classicError(error, 'zh-CN', zh).body.error, zh.IMAGE_UNDECODABLE);
    assert.equal(classicError(new FaceReadError('TIMEOUT', 'slow'), 'zh-CN', zh).body.error, 'slow', 'no Chinese text: the message');
  });

  it('gives every registered code a status the classic app or HTTP clients know', () => {
    assert.deepEqual(Object.keys(CLASSIC_STATUS).sort(), Object.keys(ERROR_CODES).sort());
    for (const [code, status] of Object.entries(CLASSIC_STATUS) as [ErrorCode, number][]) {
      const own = ERROR_CODES[code].statusCode;
      if ([401, 404, 413, 429].includes(own) || (own === 503 && code !== 'MODEL_UNAVAILABLE' && code !== 'QUEUE_UNAVAILABLE')) assert.equal(status, own, code);
      else if (own === 400) assert.equal(status, 400, code);
      else assert.equal(status, 500, code);
    }
  });
});

describe('preferredLanguages', () => {
  it('orders the tags of an Accept-Language header by q, dropping q=0', () => {
    assert.deepEqual(preferredLanguages('en;q=0.5, zh-CN, fr;q=0'), ['zh-CN', 'en']);
    assert.deepEqual(preferredLanguages('zh-TW,zh;q=0.9,en-US;q=0.8'), ['zh-TW', 'zh', 'en-US']);
    assert.deepEqual(preferredLanguages(undefined), []);
  });
});

describe('classicJson', () => {
  // What Flask 2.2's jsonify (Debian's python3-flask) writes for these values, taken from Flask itself.
  const flask: [string, Parameters<typeof classicJson>[0], string][] = [
    ['an answer', { processing_time: '0.12s', results: [{ age: '25-32', bbox: [1, 2, 3, 4], gender: 'Male' }] }, '{"processing_time":"0.12s","results":[{"age":"25-32","bbox":[1,2,3,4],"gender":"Male"}]}\n'],
    ['a Chinese error', { error: '没有上传图片' }, '{"error":"\\u6ca1\\u6709\\u4e0a\\u4f20\\u56fe\\u7247"}\n'],
    ['no faces', { processing_time: '0.05s', results: [] }, '{"processing_time":"0.05s","results":[]}\n'],
  ];
  for (const [what, value, text] of flask) {
    it(`writes ${what} byte for byte as Flask's jsonify`, () => {
      assert.equal(classicJson(value), text);
      assert.deepEqual(JSON.parse(text), value);
    });
  }
});
