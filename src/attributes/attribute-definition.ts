/**
 * What one attribute declares about itself: its name, where its value comes
 * from (models of the profile, or a computation on the face's landmarks and
 * pixels), its JSON schema, its CSV columns, and how the CLI table, the
 * drawn overlay and the page show it. Everything else (the `attributes=`
 * option, the result type, the OpenAPI schema, the CSV header, the overlay
 * label, the page's controls and face cards) is derived from the list of
 * these in src/attributes/registry.ts.
 */
import type { AttributePrediction } from '../pipeline/runner-types.js';
import type { Box, Point, RgbImage } from '../types.js';

/** What a computed attribute is given for one face, in the pixels of the view the face is cropped from. */
export interface FaceMeasure {
  image: RgbImage;
  box: Box;
  /** The landmark model's 68 points (iBUG order), when the profile has a landmark model. */
  points68?: readonly Point[];
  /**
   * The same points found again, mirror-consistent (runner-types.ts `refine68`): present when an
   * attribute asked for `needs: 'refinedLandmarks68'` and the landmark model can refine.
   */
  refinedPoints68?: readonly Point[];
  /** The 5 points (eyes, nose tip, mouth corners; image's left/right), from the landmark model or the detector. */
  landmarks?: readonly Point[];
  /** Working-image pixels per pixel of `image` (below 1: a sharper band of a reduced decode). */
  pixelScale?: number;
  /** Clockwise degrees these pixels are turned back from the photo's (a photo turned a quarter or more, put upright): add it to angles measured here. */
  roll: number;
  /** The values of the model attributes the computation `uses` (by name), unrounded; absent when their models gave none. */
  answered?: Readonly<Record<string, unknown>>;
}

/** The value comes from the profile's attribute models: `combine` turns one face's predictions (one per model) into it. */
export interface ModelSource<V> {
  kind: 'models';
  /** The built-in model (src/models/registry.ts) that answers it when a profile names none; profiles always name age and gender's. */
  defaultModel?: string;
  combine(predictions: readonly (AttributePrediction | undefined)[]): V | undefined;
}

/**
 * The value is computed from the face itself; `needs` says which stage must have run.
 * `refinedLandmarks68` runs the refined landmark pass too (several more landmark network runs a face).
 */
export interface ComputedSource<V> {
  kind: 'computed';
  needs: 'landmarks68' | 'refinedLandmarks68' | 'pixels';
  /**
   * Model attributes `compute` reads (`FaceMeasure.answered`), e.g. `smile` reads `expression`:
   * their models run whenever this attribute is asked for, and their fields join a face only when asked for too.
   */
  uses?: readonly string[];
  compute(face: FaceMeasure): V | undefined;
}

/** A label in both page languages. */
export interface Labels {
  en: string;
  'zh-CN': string;
}

/**
 * How the page shows a value in a face card (plain data: the page reads it from `GET /api/attributes`).
 * `lines` are templates per language: `{path}` is a field of the value, `{path|%}` a 0..1 number as a
 * whole percent, `{path|0}` rounded to whole units, `{path|term}` a word looked up in `terms`.
 * Age and gender keep their own wording in the page (web/i18n.js): `builtIn`.
 */
export type PageDisplay = { builtIn: true } | { lines: { en: readonly string[]; 'zh-CN': readonly string[] }; terms?: { en: Record<string, string>; 'zh-CN': Record<string, string> } };

export interface AttributeDefinition<N extends string = string, V = unknown> {
  name: N;
  /** One line for the CLI help, the OpenAPI document and `GET /api/attributes`. */
  description: string;
  /** Computed when a caller names no attributes (age and gender, as before the registry). */
  byDefault: boolean;
  source: ModelSource<V> | ComputedSource<V>;
  /** JSON schema of the value in a face of the result. */
  schema: object;
  /** The value as the public result holds it: scaled from working-image pixels (`scale`) and rounded. */
  toResult(value: V, scale: { x: number; y: number }): V;
  /** CSV columns, and their cells for one face (value undefined: not computed). `always`: columns present even when not asked for (age, gender: as before). */
  csv: { columns: readonly string[]; always?: boolean; cells(value: V | undefined): string[] };
  /** The CLI table's cell; its width is fixed so columns line up. */
  table(value: V | undefined): string;
  /** The drawn overlay's part of the label (English); labels join parts in `overlayOrder`. */
  overlay(value: V): string;
  overlayOrder: number;
  label: Labels;
  page: PageDisplay;
}

/** The value type an attribute's definition holds. */
export type ValueOf<D> = D extends AttributeDefinition<string, infer V> ? V : never;
