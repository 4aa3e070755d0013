/**
 * One bounded queue (AnalysisGate) per offered model profile, and the
 * choice of a profile per request (`?models=`). Each profile has its own
 * queue of `queueLimit` photos because each has its own worker pool: a
 * flood of requests for one profile answers 503 for that profile while the
 * others keep their places, and Retry-After is estimated from that
 * profile's own speed.
 *
 * @example
 *   const gates = createProfileGates([{ name: 'default', models, analyzer }], { queueLimit: 64, timeoutMs: 30_000 });
 *   const { name, gate } = gates.pick(request.query.models); // INVALID_OPTION for a profile not offered
 *   const result = await gate.analyze(photo, options);
 */
import { invalidOption } from '../errors.js';
import { createAnalysisGate, type AnalysisGate, type GateOptions } from './analysis-gate.js';
import type { OfferedProfile, ProfileModels } from './analyzer-set.js';

/** A profile as offered to clients. */
export interface ProfileInfo {
  name: string;
  /** The model ids it uses; null when not known (an analyzer given without its description). */
  models: ProfileModels | null;
  /** Whether its models are loaded. */
  ready: boolean;
}

export interface ProfileGates {
  /** Offered profile names, the default (used when a request names none) first. */
  readonly names: readonly string[];
  /** Whether every profile's models are loaded. */
  readonly ready: boolean;
  /** The gate of the named profile, or the default one's when `name` is undefined. */
  pick(name: string | undefined): { name: string; gate: AnalysisGate };
  /** Each profile's load, in offered order. */
  loadByProfile(): { profile: string; admitted: number; queued: number; running: number }[];
  /** The load summed over every profile. */
  load(): { admitted: number; queued: number; running: number };
  /** The longest Retry-After of the busy profiles (a 503 does not say which one was full). */
  retryAfterSeconds(): number;
  /** What `GET /api/profiles` lists. */
  describe(): ProfileInfo[];
}

/** An offered profile whose description may be unknown (buildApp given a bare analyzer). */
export type GateProfile = Omit<OfferedProfile, 'models'> & { models: ProfileModels | null };

/** @throws RangeError when no profile (or the same one twice) is given: a server offers at least one. */
export function createProfileGates(profiles: readonly GateProfile[], options: GateOptions): ProfileGates {
  if (profiles.length === 0) throw new RangeError('A server offers at least one model profile');
  const gates = new Map<string, AnalysisGate>();
  for (const profile of profiles) {
    if (gates.has(profile.name)) throw new RangeError(`Model profile "${profile.name}" is offered twice`);
    gates.set(profile.name, createAnalysisGate(profile.analyzer, options));
  }
  const names = Object.freeze([...gates.keys()]);
  const all = [...gates.values()];

  return {
    names,
    get ready() {
      return all.every((gate) => gate.ready);
    },
    pick(name) {
      const chosen = name ?? names[0]!;
      const gate = gates.get(chosen);
      // Same wording as every other option error: "Expected one of: default, fast for models but received 'x' ...".
      if (!gate) throw invalidOption('models', `one of: ${names.join(', ')}`, name);
      return { name: chosen, gate };
    },
    loadByProfile: () => names.map((profile) => ({ profile, ...gates.get(profile)!.load() })),
    load() {
      const total = { admitted: 0, queued: 0, running: 0 };
      for (const gate of all) {
        const { admitted, queued, running } = gate.load();
        total.admitted += admitted;
        total.queued += queued;
        total.running += running;
      }
      return total;
    },
    retryAfterSeconds: () => Math.max(...all.map((gate) => (gate.ready ? gate.retryAfterSeconds() : 5))),
    describe: () => profiles.map((profile) => ({ name: profile.name, models: profile.models, ready: gates.get(profile.name)!.ready })),
  };
}
