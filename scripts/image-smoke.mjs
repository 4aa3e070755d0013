// HTTP checks of a running FaceRead container, for scripts/image-test.sh.
//
//   node scripts/image-smoke.mjs ready <base url> <started epoch ms> <timeout ms>
//     waits for /readyz to answer 200; prints the ms since <started>.
//   node scripts/image-smoke.mjs analyze <base url> <photo> <expected faces>
//     posts the photo to /api/analyze; checks the face count, gender and age
//     of each face; prints {"faces", "ms", "serverMs"} as JSON.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const [mode, base, ...rest] = process.argv.slice(2);
const fail = (message) => {
  console.error(`image-smoke: ${message}`);
  process.exit(1);
};

if (mode === 'ready') {
  const [started, timeout] = rest.map(Number);
  for (;;) {
    try {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) {
        console.log(Date.now() - started);
        process.exit(0);
      }
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeout) fail(`${base}/readyz did not answer 200 within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
} else if (mode === 'analyze') {
  const [photo, expected] = rest;
  const form = new FormData();
  form.append('image', new Blob([await readFile(photo)], { type: 'image/jpeg' }), path.basename(photo));
  const started = performance.now();
  const response = await fetch(`${base}/api/analyze`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
  const ms = performance.now() - started;
  const body = await response.json().catch(() => null);
  if (response.status !== 200) fail(`POST /api/analyze answered ${response.status}: ${JSON.stringify(body)}`);
  const faces = body?.faces ?? [];
  if (faces.length !== Number(expected)) fail(`expected ${expected} faces in ${photo}, got ${faces.length}: ${JSON.stringify(body)}`);
  for (const face of faces) {
    if (!['female', 'male'].includes(face.gender?.label) || !(face.age?.years > 0 && face.age.years < 120)) {
      fail(`a face lacks a gender or a plausible age: ${JSON.stringify(face)}`);
    }
  }
  console.log(JSON.stringify({ faces: faces.length, ms: Math.round(ms), serverMs: body.timingsMs?.total }));
} else {
  fail('usage: image-smoke.mjs ready <url> <started ms> <timeout ms> | analyze <url> <photo> <faces>');
}
