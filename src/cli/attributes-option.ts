/**
 * The `--attributes <list>` option, one wording for every command that takes
 * it (`analyze`, `batch submit`); its help lists the registry's attributes.
 */
import { InvalidArgumentError, Option } from 'commander';
import { ATTRIBUTE_DEFINITIONS, DEFAULT_ATTRIBUTES } from '../attributes/registry.js';
import { ATTRIBUTES } from '../pipeline/analyze-options.js';
import type { Attribute } from '../types.js';

/** Parses a comma-separated list of attribute names. */
export function attributeList(value: string): Attribute[] {
  const list = value.split(',').map((a) => a.trim()).filter(Boolean);
  const bad = list.filter((a) => !ATTRIBUTES.includes(a as Attribute));
  if (bad.length > 0 || list.length === 0) throw new InvalidArgumentError(`Expected a comma-separated list of: ${ATTRIBUTES.join(', ')} but received '${value}'.`);
  return list as Attribute[];
}

/** `--attributes <list>`, with every attribute and its description in the help. */
export const attributesOption = () =>
  new Option('--attributes <list>', `attributes to compute, comma-separated (default ${DEFAULT_ATTRIBUTES.join(',')}): ${ATTRIBUTE_DEFINITIONS.map((d) => `${d.name} (${d.description})`).join('; ')}`).argParser(attributeList);
