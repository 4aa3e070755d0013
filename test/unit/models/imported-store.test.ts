import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findImportedProfile, saveImport, verifyImported } from '../../../src/models/imported-store.js';
import { resolveStoredProfile } from '../../../src/models/prepare.js';
import { findProfile } from '../../../src/models/registry.js';
import { ModelStore } from '../../../src/models/store.js';
import { checkImportName } from '../../../src/cli/import-command.js';

test('an import stores files and a profile that falls back to the default models; corruption asks to import again', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faceread-import-'));
  const store = new ModelStore(dir);
  const profile = await saveImport(store, 'mine', [{ slot: 'age', bytes: Uint8Array.of(1, 2, 3), sources: [{ path: '/x/deploy_age.prototxt', sha256: 'ab' }] }], 'default');
  const base = findProfile('default');
  assert.deepEqual(profile, { ...base, attributes: ['mine-age', ...base.attributes] });
  assert.deepEqual(await findImportedProfile(store, 'mine'), profile);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.imported['mine-age'].kind, 'levi-hassner-age');
  assert.deepEqual(manifest.imported['mine-age'].sources, [{ path: '/x/deploy_age.prototxt', sha256: 'ab' }]);
  const stored = await verifyImported(store, 'mine-age');
  assert.equal(stored.kind, 'levi-hassner-age');

  const resolved = await resolveStoredProfile('mine', dir);
  assert.deepEqual(resolved.attributes.map((a) => [a.id, a.kind]), [['mine-age', 'levi-hassner-age'], ...base.attributes.map((id) => [id, undefined])]);

  writeFileSync(stored.path, 'changed');
  await assert.rejects(verifyImported(store, 'mine-age'), (error: Error & { code?: string }) => error.code === 'MODEL_UNAVAILABLE' && /does not match its sha256.*import-caffe/.test(error.message));
  await assert.rejects(resolveStoredProfile('other', dir), /Unknown model profile "other". Should be one of: .*mine/);
});

test('import names: kebab-case and not a built-in profile', () => {
  assert.equal(checkImportName('opencv-classic'), 'opencv-classic');
  assert.throws(() => checkImportName('Bad Name'), /kebab-case/);
  assert.throws(() => checkImportName('default'), /other than the built-in profiles/);
});
