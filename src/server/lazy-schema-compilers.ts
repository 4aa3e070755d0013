/**
 * Fastify's own schema compilers (ajv for requests, fast-json-stringify for
 * responses), made lazy: a route's validator or serializer is compiled the
 * first time it is used, or by `compilePending` once the service is ready,
 * instead of while the app is built. Compiling every route's schemas (the
 * result, batch and classic answers, the errors) took ~150 ms of the main
 * thread at start-up, on the path to the first `/readyz` 200, for answers
 * no request had asked for yet.
 *
 * @example
 *   const compilers = lazySchemaCompilers();
 *   const app = Fastify({ schemaController: { compilersFactory: compilers.factory } });
 *   await app.listen();
 *   void compilers.compilePending(); // in idle turns of the event loop
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

// The compilers themselves (ajv, fast-json-stringify: ~90 ms to load) are required on first use too;
// fastify asks for a compiler synchronously, hence require rather than import().
const require = createRequire(import.meta.url);

type AnyFunction = (...args: never[]) => unknown;
/** A route's compiler as fastify calls it: its route schema in, the validate or serialize function out. */
type RouteCompiler = (route: never) => AnyFunction;
/** What fastify's compilersFactory builds a route compiler from. */
type CompilerBuilder = (externalSchemas: never, options: never) => RouteCompiler;
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

export interface LazySchemaCompilers {
  /** fastify's `schemaController.compilersFactory`. */
  factory: CompilersFactory;
  /** Compiles every schema not yet used, one per turn of the event loop; resolves when done. */
  compilePending(): Promise<void>;
  /** How many schemas are still to compile (tests). */
  pending(): number;
}

export function lazySchemaCompilers(): LazySchemaCompilers {
  const waiting = new Set<() => unknown>();
  // The function fastify keeps for a route: compiles on its first call and then forwards to the
  // compiled one, keeping ajv's `errors`, which fastify reads from the function after a failed validation.
  const deferred = (compile: () => AnyFunction): AnyFunction => {
    let compiled: AnyFunction | undefined;
    const ensure = () => {
      waiting.delete(ensure);
      compiled ??= compile();
      return compiled;
    };
    waiting.add(ensure);
    const forward = function (this: unknown, ...args: never[]) {
      const target = ensure();
      const result = target.apply(this, args);
      (forward as { errors?: unknown }).errors = (target as { errors?: unknown }).errors;
      return result;
    };
    return forward;
  };
  // The builders fastify would use; they too are made when the first schema is compiled (making
  // one constructs ajv with every shared schema).
  const lazyBuilder = (makeBuilder: () => CompilerBuilder): CompilerBuilder => {
    let builder: CompilerBuilder | undefined;
    return (externalSchemas, options) => {
      let routeCompiler: RouteCompiler | undefined;
      return (route) => deferred(() => {
        builder ??= makeBuilder();
        routeCompiler ??= builder(externalSchemas, options);
        return routeCompiler(route);
      });
    };
  };
  return {
    factory: {
      buildValidator: lazyBuilder(() => (require('@fastify/ajv-compiler') as () => CompilerBuilder)()),
      buildSerializer: lazyBuilder(() => (require('@fastify/fast-json-stringify-compiler') as () => CompilerBuilder)()),
    } as unknown as CompilersFactory,
    async compilePending() {
      for (const compile of [...waiting]) {
        await new Promise((resolve) => setImmediate(resolve));
        compile();
      }
    },
    pending: () => waiting.size,
  };
}
