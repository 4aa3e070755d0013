/**
 * The one list of attributes a face can be given. Each entry is a module of
 * this folder (see attribute-definition.ts); the `attributes=` option, the
 * result type (src/types.ts), the OpenAPI schema, the CSV and table columns,
 * the drawn overlay and the page's controls and cards are derived from it.
 *
 * To add an attribute: write `src/attributes/<name>.ts` declaring an
 * `AttributeDefinition`, add it to `ATTRIBUTE_DEFINITIONS` below (the order
 * is the order of fields in a face and of columns), and, when a model
 * answers it, add the model's kind (src/models/kinds.ts) and built-in model
 * (src/models/registry.ts) that `provides` it.
 *
 * @example
 *   ATTRIBUTE_NAMES;            // ['age', 'gender', ...] (sorted)
 *   findAttribute('age').csv.columns; // ['age', 'age_low', ...]
 */
import type { FaceResult } from '../types.js';
import type { AttributeDefinition } from './attribute-definition.js';
import { age } from './age.js';
import { expression } from './expression.js';
import { eyes } from './eyes.js';
import { gender } from './gender.js';
import { mouth } from './mouth.js';
import { pose } from './pose.js';
import { quality } from './quality.js';
import { smile } from './smile.js';

/** Every attribute, in the order its field appears in a face (gender before age, as results always had them). */
export const ATTRIBUTE_DEFINITIONS = [gender, age, expression, pose, quality, eyes, mouth, smile] as const;

type Definitions = (typeof ATTRIBUTE_DEFINITIONS)[number];

/** The name of an attribute (`attributes=` values). */
export type AttributeName = Definitions['name'];

/** Every attribute name, sorted, as messages and help list them. */
export const ATTRIBUTE_NAMES: readonly AttributeName[] = ATTRIBUTE_DEFINITIONS.map((d) => d.name).sort();

/** What a caller gets without naming attributes. */
export const DEFAULT_ATTRIBUTES: readonly AttributeName[] = ATTRIBUTE_NAMES.filter((name) => findAttribute(name).byDefault);

/** The definition of `name` (a known name: check with `isAttributeName` first). */
export function findAttribute(name: AttributeName): AttributeDefinition<AttributeName> {
  return ATTRIBUTE_DEFINITIONS.find((d) => d.name === name)! as unknown as AttributeDefinition<AttributeName>;
}

export const isAttributeName = (value: unknown): value is AttributeName => ATTRIBUTE_NAMES.includes(value as AttributeName);

/** The attributes a profile's models answer (the others are computed). */
export const MODEL_ATTRIBUTES: readonly AttributeName[] = ATTRIBUTE_DEFINITIONS.filter((d) => d.source.kind === 'models').map((d) => d.name);

/**
 * What must run to answer `wanted`: those attributes and the model attributes they use
 * (`ComputedSource.uses`), each once, in registry order.
 *
 * @example attributesToRun(['smile']) // ['expression', 'smile']
 */
export function attributesToRun(wanted: readonly AttributeName[]): AttributeName[] {
  const used = (name: AttributeName) => {
    const source = findAttribute(name).source;
    return source.kind === 'computed' ? (source.uses ?? []) : [];
  };
  const names = new Set<string>(wanted.flatMap((name) => [name, ...used(name)]));
  return ATTRIBUTE_DEFINITIONS.map((d) => d.name).filter((name) => names.has(name));
}

/** Sets a face's field for attribute `name` (one place for the one cast the generic loop needs). */
export function setAttributeValue(face: FaceResult, name: AttributeName, value: unknown): void {
  (face as unknown as Record<string, unknown>)[name] = value;
}
