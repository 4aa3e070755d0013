/**
 * The process entry of `npm start`: serves the page and the API with the
 * configuration from the environment (PORT, HOST, FACEREAD_*), exiting 1 if
 * the configuration is wrong or the models cannot be loaded.
 */
import { enableCompileCache } from '../compile-cache.js';

// Before the imports below are compiled (hence dynamic imports).
enableCompileCache();
const { isFaceReadError } = await import('../errors.js');
const { serve } = await import('./serve.js');

try {
  const server = await serve();
  await server.ready;
} catch (error) {
  const message = isFaceReadError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
  process.stderr.write(`faceread: ${message}\n`);
  process.exit(1);
}
