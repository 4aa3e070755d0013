import assert from 'node:assert/strict';
import { it } from 'node:test';
import { annotatedFormat, pickImageFormat } from '../../../src/server/negotiate.js';

it('pickImageFormat follows the Accept header and its q-values', () => {
  const cases: [string | undefined, 'png' | 'jpeg' | null][] = [
    [undefined, null],
    ['application/json', null],
    ['*/*', null],
    ['image/png', 'png'],
    ['image/jpeg', 'jpeg'],
    ['image/*', 'png'],
    ['image/png;q=0.5, image/jpeg', 'jpeg'],
    ['image/jpeg;q=0, image/png;q=0.1', 'png'],
    ['application/json, image/jpeg;q=0.9', 'jpeg'],
  ];
  for (const [accept, expected] of cases) assert.equal(pickImageFormat(accept), expected, String(accept));
});

it('annotate=true answers the picture unless Accept lists JSON and no image (curl sends */*)', () => {
  const cases: [string | undefined, 'png' | 'jpeg' | null][] = [
    [undefined, 'jpeg'],
    ['*/*', 'jpeg'],
    ['text/html', 'jpeg'],
    ['image/png', 'png'],
    ['application/json', null],
    ['application/*', null],
    ['application/json;q=0, */*', 'jpeg'],
    ['application/json, image/jpeg;q=0.9', 'jpeg'],
  ];
  for (const [accept, expected] of cases) assert.equal(annotatedFormat(accept), expected, String(accept));
});
