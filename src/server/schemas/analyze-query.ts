/**
 * Query options of `POST /api/analyze` and `/api/analyze/batch`, and their
 * conversion to the library's `AnalyzeOptions`. The library validates the
 * values again (resolveAnalyzeOptions); this schema documents them and
 * rejects wrong types early with INVALID_OPTION. `models` (the profile) is
 * checked against the offered profiles by the route (ProfileGates.pick), so
 * its error names them; the OpenAPI document lists them (`documentedQuery`).
 */
import { ATTRIBUTE_NAMES, DEFAULT_ATTRIBUTES, findAttribute } from '../../attributes/registry.js';
import { ORIENTATIONS, type AnalyzeOptions, type Attribute, type Orientation } from '../../types.js';
import { API_COMPAT_MODES, type ApiCompat } from '../classic-format.js';

export interface AnalyzeQuery {
  minScore?: number;
  maxFaces?: number;
  attributes?: string;
  orientation?: Orientation;
  annotate?: boolean;
  models?: string;
  format?: ApiCompat;
}

const NAMES = ATTRIBUTE_NAMES.join('|');

const optionProperties = {
    minScore: { type: 'number', minimum: 0, maximum: 1, description: 'Drop faces whose detector score is below this (default 0.5).' },
    maxFaces: { type: 'integer', minimum: 1, maximum: 1000, description: 'At most this many faces, highest scores first (default 100).' },
    attributes: {
      type: 'string',
      pattern: `^((${NAMES})(,(${NAMES}))*)?$`,
      description: `Comma-separated attributes to compute (default ${DEFAULT_ATTRIBUTES.map((n) => `\`${n}\``).join(', ')}; empty for none), any of: ${ATTRIBUTE_NAMES.map((n) => `\`${n}\` (${findAttribute(n).description})`).join('; ')}.`,
    },
    orientation: {
      type: 'string',
      enum: [...ORIENTATIONS],
      description: "How the photo's upright is found: `exif` (default) trusts its EXIF tag; `auto` also tells a photo turned a quarter or more without a tag, for a few more milliseconds a photo (up to 3 more detector runs on some).",
    },
    models: {
      type: 'string',
      maxLength: 100,
      description: 'The model profile to analyse with, one of those the server offers (`GET /api/profiles`); default the first.',
    },
} as const;

/** Options of a batch: the per-photo analysis options. */
export const batchQuerySchema = { type: 'object', additionalProperties: false, properties: optionProperties } as const;

/** Options of a single analysis: those of a batch and `annotate`. */
export const analyzeQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...optionProperties,
    format: {
      type: 'string',
      enum: [...API_COMPAT_MODES],
      description: "The answer's shape: `faceread` (this result) or `classic`, the classic Flask app's `{ results: [{ bbox, gender, age }], processing_time }` and `{ error: \"<text>\" }` (default: the server's FACEREAD_API_COMPAT, else `faceread`).",
    },
    annotate: {
      type: 'boolean',
      description: 'Answer with the photo annotated with boxes and labels instead of JSON: PNG or JPEG as `Accept` asks, JPEG without an `Accept` that names an image or JSON (none, `*/*`). `Accept: application/json` keeps the JSON answer.',
    },
  },
} as const;

/** The library options a query asks for (only those given, so the analyzer's defaults apply). */
export function toAnalyzeOptions(query: AnalyzeQuery): AnalyzeOptions {
  const options: AnalyzeOptions = {};
  if (query.minScore !== undefined) options.minScore = query.minScore;
  if (query.maxFaces !== undefined) options.maxFaces = query.maxFaces;
  if (query.orientation !== undefined) options.orientation = query.orientation;
  if (query.attributes !== undefined) {
    options.attributes = query.attributes === '' ? [] : (query.attributes.split(',') as Attribute[]);
  }
  return options;
}

/**
 * A copy of a query schema for the OpenAPI document that lists the offered profiles as `models`'s
 * values. Only for the document: the validating schema leaves the check to the route, whose error
 * names the offered profiles.
 */
export function documentedQuery(schema: { properties: typeof optionProperties }, profiles: readonly string[]): object {
  const models = { ...schema.properties.models, enum: [...profiles], default: profiles[0] };
  return { ...schema, properties: { ...schema.properties, models } };
}
