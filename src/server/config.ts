/**
 * The HTTP server's configuration: one declarative schema with defaults,
 * read from the sources in order (defaults < environment < explicit
 * overrides such as CLI flags), validated once at start and then frozen.
 * Per-request options (minScore, ...) are validated separately and never
 * merged into it.
 *
 * @example
 *   const config = loadServerConfig({ env: process.env, overrides: { port: 8080 } });
 *   config.maxUploadBytes; // 15728640 unless FACEREAD_MAX_UPLOAD_BYTES says otherwise
 */
import { invalidOption } from '../errors.js';
import { PRECISION_CHOICES, type PrecisionChoice } from '../models/precision.js';
import { DEFAULT_PROFILE } from '../models/profiles.js';
import { API_COMPAT_MODES, type ApiCompat } from './classic-format.js';

export interface ServerConfig {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on. */
  host: string;
  /** Largest accepted upload in bytes, per file. */
  maxUploadBytes: number;
  /** Most files in one batch request. */
  maxBatchFiles: number;
  /** Photos that may wait for a worker beyond those being analysed; past it, 503 at once. */
  queueLimit: number;
  /** A request's analysis (waiting included) is stopped after this many ms with 504. */
  requestTimeoutMs: number;
  /** When set, `/api/*` requires `Authorization: Bearer <apiKey>`. */
  apiKey: string | null;
  /** Origins allowed by CORS; empty: no CORS headers (same origin only). */
  corsOrigins: readonly string[];
  /** Requests per client per `rateLimitWindowMs` on `/api/*`; 0 disables rate limiting. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** Trust X-Forwarded-* headers (behind a reverse proxy). */
  trustProxy: boolean;
  /** Analyzer settings used by `serve()` (createAnalyzer). `profile` is the default profile of requests. */
  profile: string | null;
  /** Every profile the server offers (`?models=`); see `offeredProfiles` for how it combines with `profile`. */
  profiles: readonly string[];
  modelDir: string | null;
  /** Worker threads of the default profile (null: the library's default). */
  poolSize: number | null;
  /** Worker threads of each other offered profile. */
  extraPoolSize: number;
  /** onnxruntime threads per worker thread, for every profile (null: the library's default). */
  threads: number | null;
  /** Network precision for every profile: `auto` (int8 where it matched float32 on dev), `int8` or `fp32`. */
  precision: PrecisionChoice;
  /** How `POST /api/analyze` answers by default: FaceRead's result, or the classic Flask app's shapes (`?format=` overrides). */
  apiCompat: ApiCompat;
}

type Kind = 'port' | 'positiveInteger' | 'nonNegativeInteger' | 'string' | 'optionalString' | 'list' | 'boolean' | 'logLevel' | 'optionalPositiveInteger' | 'precision' | 'apiCompat';

interface Field {
  env: string;
  kind: Kind;
  default: unknown;
  max?: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The one schema: every setting, its environment variable and its default. */
export const SERVER_CONFIG_SCHEMA: { readonly [K in keyof ServerConfig]: Field } = {
  port: { env: 'PORT', kind: 'port', default: 8080 },
  host: { env: 'HOST', kind: 'string', default: '127.0.0.1' },
  maxUploadBytes: { env: 'FACEREAD_MAX_UPLOAD_BYTES', kind: 'positiveInteger', default: 15 * 1024 * 1024, max: 1024 * 1024 * 1024 },
  maxBatchFiles: { env: 'FACEREAD_MAX_BATCH_FILES', kind: 'positiveInteger', default: 16, max: 1000 },
  queueLimit: { env: 'FACEREAD_QUEUE_LIMIT', kind: 'positiveInteger', default: 64, max: 100_000 },
  requestTimeoutMs: { env: 'FACEREAD_TIMEOUT_MS', kind: 'positiveInteger', default: 30_000, max: 3_600_000 },
  apiKey: { env: 'FACEREAD_API_KEY', kind: 'optionalString', default: null },
  corsOrigins: { env: 'FACEREAD_CORS_ORIGINS', kind: 'list', default: [] },
  rateLimitMax: { env: 'FACEREAD_RATE_LIMIT_MAX', kind: 'nonNegativeInteger', default: 0, max: 1_000_000 },
  rateLimitWindowMs: { env: 'FACEREAD_RATE_LIMIT_WINDOW_MS', kind: 'positiveInteger', default: 60_000, max: 86_400_000 },
  logLevel: { env: 'FACEREAD_LOG_LEVEL', kind: 'logLevel', default: 'info' },
  trustProxy: { env: 'FACEREAD_TRUST_PROXY', kind: 'boolean', default: false },
  profile: { env: 'FACEREAD_PROFILE', kind: 'optionalString', default: null },
  profiles: { env: 'FACEREAD_PROFILES', kind: 'list', default: [] },
  modelDir: { env: 'FACEREAD_MODEL_DIR', kind: 'optionalString', default: null },
  poolSize: { env: 'FACEREAD_POOL_SIZE', kind: 'optionalPositiveInteger', default: null, max: 64 },
  extraPoolSize: { env: 'FACEREAD_EXTRA_POOL_SIZE', kind: 'positiveInteger', default: 1, max: 64 },
  threads: { env: 'FACEREAD_THREADS', kind: 'optionalPositiveInteger', default: null, max: 64 },
  precision: { env: 'FACEREAD_PRECISION', kind: 'precision', default: 'auto' },
  apiCompat: { env: 'FACEREAD_API_COMPAT', kind: 'apiCompat', default: 'faceread' },
};

/** Turns an environment string into the field's type (or throws INVALID_OPTION naming the variable). */
function fromEnv(field: Field, raw: string): unknown {
  switch (field.kind) {
    case 'port':
    case 'positiveInteger':
    case 'nonNegativeInteger':
    case 'optionalPositiveInteger':
      return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off|)$/i.test(raw)) return false;
      return raw;
    case 'list':
      return raw.split(',').map((item) => item.trim()).filter(Boolean);
    case 'optionalString':
      return raw === '' ? null : raw;
    default:
      return raw;
  }
}

function check(name: string, field: Field, value: unknown): unknown {
  const integer = (min: number, max: number) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw invalidOption(name, `an integer between ${min} and ${max}`, value);
    }
    return value;
  };
  switch (field.kind) {
    case 'port':
      return integer(0, 65535);
    case 'positiveInteger':
      return integer(1, field.max ?? Number.MAX_SAFE_INTEGER);
    case 'nonNegativeInteger':
      return integer(0, field.max ?? Number.MAX_SAFE_INTEGER);
    case 'optionalPositiveInteger':
      return value === null ? null : integer(1, field.max ?? Number.MAX_SAFE_INTEGER);
    case 'string':
      if (typeof value !== 'string' || value === '') throw invalidOption(name, 'a non-empty string', value);
      return value;
    case 'optionalString':
      if (value !== null && (typeof value !== 'string' || value === '')) throw invalidOption(name, 'a non-empty string or null', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidOption(name, 'a boolean (true/false)', value);
      return value;
    case 'logLevel':
      if (typeof value !== 'string' || !LOG_LEVELS.includes(value)) throw invalidOption(name, `one of: ${LOG_LEVELS.join(', ')}`, value);
      return value;
    case 'precision':
      if (!(PRECISION_CHOICES as readonly unknown[]).includes(value)) throw invalidOption(name, `one of: ${PRECISION_CHOICES.join(', ')}`, value);
      return value;
    case 'apiCompat':
      if (!(API_COMPAT_MODES as readonly unknown[]).includes(value)) throw invalidOption(name, `one of: ${API_COMPAT_MODES.join(', ')}`, value);
      return value;
    case 'list':
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
        throw invalidOption(name, 'a list of non-empty strings', value);
      }
      return Object.freeze([...value]);
  }
}

export interface ConfigSources {
  /** Usually `process.env`; only the variables named in the schema are read. */
  env?: Record<string, string | undefined>;
  /** Highest precedence, e.g. CLI flags. `undefined` values are ignored. */
  overrides?: Partial<ServerConfig>;
}

/**
 * Builds the frozen server configuration.
 * @throws FaceReadError INVALID_OPTION naming the setting (and its variable) that is wrong
 */
export function loadServerConfig(sources: ConfigSources = {}): Readonly<ServerConfig> {
  const { env = {}, overrides = {} } = sources;
  const known = new Set(Object.keys(SERVER_CONFIG_SCHEMA));
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) throw invalidOption('server option', `one of: ${[...known].join(', ')}`, key);
  }
  const config: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(SERVER_CONFIG_SCHEMA) as [keyof ServerConfig, Field][]) {
    const override = overrides[name];
    const raw = env[field.env];
    if (override !== undefined) config[name] = check(name, field, override);
    else if (raw !== undefined) config[name] = check(`${name} (${field.env})`, field, fromEnv(field, raw));
    else config[name] = check(name, field, field.default);
  }
  return Object.freeze(config) as unknown as Readonly<ServerConfig>;
}

/**
 * The profiles the server offers, the default first: `profile` (FACEREAD_PROFILE), else the first of
 * `profiles` (FACEREAD_PROFILES), else `default`; then the rest of `profiles` in their order, once each.
 * The default is always offered, so `--models fast` alone serves `fast` without listing it again.
 *
 * @example
 *   offeredProfiles(loadServerConfig({ env: { FACEREAD_PROFILES: 'default,fast' } })); // ['default', 'fast']
 */
export function offeredProfiles(config: Pick<ServerConfig, 'profile' | 'profiles'>): string[] {
  const first = config.profile ?? config.profiles[0] ?? DEFAULT_PROFILE;
  return [...new Set([first, ...config.profiles])];
}
