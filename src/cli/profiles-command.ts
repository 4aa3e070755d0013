/**
 * `faceread profiles list|show|set|remove`: the model profiles of a store.
 * Built-in profiles are read-only; saved ones (made by imports or `set`)
 * are documents in the store's manifest, edited part by part.
 *
 * @example
 *   faceread profiles set crowd --detectors faceapi-ssd-mobilenetv1,faceapi-tiny-face-detector
 *   faceread profiles set classic --gender faceapi-age-gender
 *   faceread profiles show classic
 */
import { InvalidArgumentError, type Command, type Option } from 'commander';
import { Catalogue } from '../models/catalogue.js';
import { DEFAULT_PROFILE, describeProfile, isBuiltInProfile, type AttributeAnswer } from '../models/profiles.js';
import { removeProfile, setProfile, type ProfileChanges } from '../models/saved-profiles.js';
import { ModelStore } from '../models/store.js';
import type { Attribute } from '../types.js';
import { columns } from './columns.js';

const idList = (value: string) => value.split(',').map((id) => id.trim()).filter(Boolean);

/** `--age a,b` -> who answers age: one model alone, several averaged; `none` drops the attribute. */
function answer(value: string | undefined): AttributeAnswer | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const models = idList(value);
  return { models, combine: models.length > 1 ? 'mean' : 'alone' };
}

/** `--option <model>.<key>=<value>` (repeatable); an empty value drops the setting. */
function modelOption(value: string, previous: Record<string, Record<string, string | number | boolean | null>> = {}) {
  const match = /^([^.=]+)\.([^.=]+)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`Expected <model>.<key>=<value> (e.g. faceapi-age-gender.mirror=true) but received '${value}'.`);
  const [, id, key, raw] = match as unknown as [string, string, string, string];
  const parsed = raw === '' ? null : raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { ...previous, [id]: { ...previous[id], [key]: parsed } };
}

async function listProfiles(storeDir: string): Promise<number> {
  const catalogue = await Catalogue.open(new ModelStore(storeDir));
  const rows = catalogue.profileNames().map((name) => {
    let description: string;
    try {
      description = describeProfile(catalogue.profile(name));
    } catch (error) {
      description = `unusable: ${(error as Error).message}`;
    }
    return [name, isBuiltInProfile(name) ? 'built-in' : 'saved', description];
  });
  console.log(columns([['PROFILE', 'ORIGIN', 'MODELS'], ...rows]).join('\n'));
  return 0;
}

async function showProfile(storeDir: string, name: string): Promise<number> {
  const catalogue = await Catalogue.open(new ModelStore(storeDir));
  const profile = catalogue.profile(name);
  console.log(JSON.stringify({ name, origin: isBuiltInProfile(name) ? 'built-in' : 'saved', ...profile }, null, 2));
  return 0;
}

/**
 * Adds `faceread profiles`.
 *
 * @example
 *   registerProfilesCommand(program, () => new Option('--model-dir <dir>'));
 */
export function registerProfilesCommand(program: Command, modelDirOption: () => Option): void {
  const profiles = program.command('profiles').description('list, show and edit model profiles (which models find faces and answer each attribute)');
  profiles.command('list').description('every profile, built-in and saved').addOption(modelDirOption())
    .action(async (o) => { process.exitCode = await listProfiles(o.modelDir); });
  profiles.command('show').description("a profile's document").argument('<profile>').addOption(modelDirOption())
    .action(async (name: string, o) => { process.exitCode = await showProfile(o.modelDir, name); });
  profiles
    .command('set')
    .description('create or change a saved profile; parts not given stay as they are')
    .argument('<profile>', 'kebab-case name (not a built-in one)')
    .option('--from <profile>', 'profile a new profile starts from', DEFAULT_PROFILE)
    .option('--detectors <ids>', 'detector chain, comma-separated: the first, then fallbacks that run when it finds nothing', idList)
    .option('--landmarks <id>', "landmark model, or 'none'")
    .option('--age <ids>', "model(s) answering age, comma-separated (several: their mean), or 'none'")
    .option('--gender <ids>', "model(s) answering gender, comma-separated (several: their mean), or 'none'")
    .option('--option <model.key=value>', 'a setting for one model (repeatable; empty value drops it)', modelOption)
    .addOption(modelDirOption())
    .action(async (name: string, o) => {
      const attributes: Partial<Record<Attribute, AttributeAnswer | null>> = {};
      for (const attribute of ['age', 'gender'] as const) {
        const given = answer(o[attribute]);
        if (given !== undefined) attributes[attribute] = given;
      }
      const changes: ProfileChanges = {
        ...(o.detectors ? { detectors: o.detectors } : {}),
        ...(o.landmarks ? { landmarks: o.landmarks === 'none' ? null : o.landmarks } : {}),
        attributes,
        ...(o.option ? { options: o.option } : {}),
      };
      const saved = await setProfile(new ModelStore(o.modelDir), name, changes, o.from);
      console.log(`profile ${name}: ${describeProfile(saved)}`);
      process.exitCode = 0;
    });
  profiles
    .command('remove')
    .description('delete a saved profile (its imported models stay in the store)')
    .argument('<profile>')
    .addOption(modelDirOption())
    .action(async (name: string, o) => {
      const unused = await removeProfile(new ModelStore(o.modelDir), name);
      console.log(`removed profile ${name}`);
      if (unused.length > 0) console.log(`imported models no profile uses now (they stay in the store): ${unused.join(', ')}`);
      process.exitCode = 0;
    });
}
