/**
 * Runs the HTTP service as a process: reads the config (defaults < env <
 * the caller's overrides, e.g. CLI flags), checks the offered model
 * profiles' names, starts listening at once (so `/healthz` and `/readyz`
 * answer while models load), loads one analyzer per offered profile, logs
 * the URL and how long start-up took, and on SIGTERM/SIGINT stops taking
 * requests, finishes those in flight, closes every analyzer and exits 0.
 *
 * @example
 *   // faceread serve --port 8080
 *   await serve({ overrides: { port: 8080 } });
 */
import { describeProfiles, loadAnalyzerSet } from './analyzer-set.js';
import { loadServerConfig, offeredProfiles, type ServerConfig } from './config.js';

export interface ServeOptions {
  /** Settings that win over the environment (CLI flags). */
  overrides?: Partial<ServerConfig>;
  /** Environment to read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Install SIGTERM/SIGINT handlers that shut down and exit; default true. */
  handleSignals?: boolean;
}

export interface RunningServer {
  /** The base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  config: Readonly<ServerConfig>;
  /** Resolves when every offered profile's models are loaded (rejects if any cannot be). */
  ready: Promise<void>;
  /** Stops taking requests, waits for those in flight, stops the workers. */
  close(): Promise<void>;
}

function displayUrl(address: string, host: string, port: number): string {
  // A wildcard address is not something to paste into a browser.
  if (host === '0.0.0.0' || host === '::') return `http://localhost:${port}`;
  return address;
}

/** Starts the service; see the module comment. Throws INVALID_OPTION for a bad setting or an unknown profile. */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const config = loadServerConfig({ env: options.env ?? process.env, overrides: options.overrides });
  // Before listening: a misspelt profile is a configuration error, not a failed start-up.
  const described = await describeProfiles(offeredProfiles(config), config.modelDir);
  // Model-store notes may come before the app (and its logger) exists.
  const early: string[] = [];
  let log: (message: string) => void = (message) => early.push(message);
  const analyzers = loadAnalyzerSet(described, config, (message) => log(message));
  // Fastify and its plugins load while the workers load their models: after the workers have
  // started (loading modules holds this thread, and would hold up their start), not before.
  await analyzers.workersStarting;
  const { buildApp } = await import('./app.js');
  const app = await buildApp({ profiles: analyzers.profiles, config, logger: { level: config.logLevel } });
  log = (message) => app.log.info(message);
  early.splice(0).forEach(log);
  const address = await app.listen({ port: config.port, host: config.host });
  const port = (app.server.address() as { port: number }).port;
  const url = displayUrl(address, config.host, port);
  app.log.info(`FaceRead listening at ${url} (loading models)`);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      // A client that hung up leaves its photo in the queue after its socket (and app.close) is done; let it finish.
      const deadline = Date.now() + config.requestTimeoutMs;
      while (app.profileGates.load().admitted > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await analyzers.close();
    })();
    return closing;
  };

  const ready = analyzers.ready.then(
    () => {
      const offered = described.map((profile) => profile.name).join(', ');
      app.log.info(`FaceRead ready at ${url} in ${Math.round(performance.now())} ms since the process started (profiles: ${offered})`);
      // Off the path to ready (compiled while the models load, they slowed the workers' start as much
      // as they saved): the route schemas no request has compiled yet, one per turn of the event loop.
      const compiling = performance.now();
      app.compilePendingSchemas().then(
        () => app.log.debug(`route schemas compiled in ${Math.round(performance.now() - compiling)} ms`),
        (error: unknown) => app.log.error({ err: error }, 'a route schema does not compile'),
      );
    },
    async (error: unknown) => {
      app.log.fatal({ err: error }, 'The models could not be loaded; stopping. Possible fixes: run `npm ci` again, check FACEREAD_MODEL_DIR is writable, or run `faceread models list`.');
      await close();
      throw error;
    },
  );

  if (options.handleSignals ?? true) {
    const shutdown = (signal: NodeJS.Signals) => {
      app.log.info(`${signal}: finishing requests in flight, then exiting`);
      // Requests are bounded by the analysis timeout; do not hang for ever on a stuck socket.
      setTimeout(() => process.exit(1), config.requestTimeoutMs + 10_000).unref();
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  }
  return { url, config, ready, close };
}
