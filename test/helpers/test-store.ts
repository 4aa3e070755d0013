/** The model store tests share: $FACEREAD_MODEL_DIR when set (CI), else one folder in the temp dir. */
import os from 'node:os';
import path from 'node:path';

export const TEST_STORE_DIR = process.env.FACEREAD_MODEL_DIR || path.join(os.tmpdir(), 'faceread-test-models');
