import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageFolder } from '../../../src/models/package-folder.js';

const nameIn = (folder: string) => JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')).name;

test('a package that exports its package.json is found the usual way', () => {
  const folder = packageFolder('sharp');
  assert.ok(folder);
  assert.equal(nameIn(folder), 'sharp');
});

test("a package whose exports leave out package.json (@vladmandic/human) is still found, with its models", () => {
  const folder = packageFolder('@vladmandic/human');
  assert.ok(folder);
  assert.equal(nameIn(folder), '@vladmandic/human');
  assert.ok(existsSync(path.join(folder, 'models', 'blazeface.json')));
});

test('a package that is not installed gives undefined', () => {
  assert.equal(packageFolder('@faceread/no-such-package'), undefined);
});
