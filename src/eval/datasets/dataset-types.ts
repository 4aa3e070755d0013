/**
 * What the evaluation reads from a labelled data set: faces with a known
 * age and gender (one face per photo), or photos with every face boxed
 * (for detection). Readers for each folder layout produce these shapes.
 */
import type { Box, GenderLabel, Point } from '../../types.js';

/** One photo holding one labelled face. */
export interface AttributeSample {
  /** Absolute path of the photo. */
  file: string;
  /** The photo's name inside the data set (stable across machines). */
  name: string;
  /** Key that decides the dev/test split; samples of one person share it. */
  splitKey: string;
  age: number;
  gender: GenderLabel;
  /** Landmarks in photo pixels when the data set has them: used to tell the labelled face from others. */
  landmarks?: Point[];
}

/** A ground-truth face box; ignored faces neither count as misses nor make a detection a false positive. */
export interface TruthBox {
  box: Box;
  ignore: boolean;
}

/** One photo with every face boxed. */
export interface DetectionSample {
  file: string;
  name: string;
  splitKey: string;
  faces: TruthBox[];
}

export type DatasetKind = 'utkface' | 'aaf' | 'wider';

export type Dataset =
  | { kind: 'utkface' | 'aaf'; task: 'attributes'; root: string; samples: AttributeSample[] }
  | { kind: 'wider'; task: 'detection'; root: string; samples: DetectionSample[] };
