import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { bearerMatches } from '../../../src/server/plugins/api-key.js';

const digest = createHash('sha256').update('s3cret').digest();

it('bearerMatches accepts only Bearer <key> with the exact key', () => {
  const cases: [string | undefined, boolean][] = [
    ['Bearer s3cret', true],
    ['bearer s3cret', true],
    ['Bearer s3cret ', true],
    ['Bearer s3cre', false],
    ['Bearer s3cret2', false],
    ['Basic s3cret', false],
    ['s3cret', false],
    ['Bearer ', false],
    ['', false],
    [undefined, false],
  ];
  for (const [header, expected] of cases) assert.equal(bearerMatches(header, digest), expected, String(header));
});
