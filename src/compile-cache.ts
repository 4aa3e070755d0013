/**
 * Node 22+ can keep the V8 code of the modules it compiled on disk and reuse
 * it at the next start (`module.enableCompileCache`): FaceRead's entry points
 * turn it on before importing anything heavy (fastify and its plugins are
 * most of the server's start-up). A no-op where Node lacks it or the cache
 * folder cannot be written; `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
import module from 'node:module';

export function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: () => unknown }).enableCompileCache;
  try {
    enable?.();
  } catch {
    // A start-up speed-up only: never a reason not to start.
  }
}
