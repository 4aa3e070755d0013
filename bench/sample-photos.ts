/** The six group photos shipped with @vladmandic/face-api (1920 px; 3, 3, 3, 4, 5 and 4 faces). */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const demo = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');

export const SAMPLE_PHOTOS = [1, 2, 3, 4, 5, 6].map((n) => path.join(demo, `sample${n}.jpg`));
export const SAMPLE_FACE_COUNTS = [3, 3, 3, 4, 5, 4];
