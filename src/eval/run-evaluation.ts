/**
 * Runs a profile over a data set through the library API in this process
 * (`createAnalyzer`, a pool of worker threads) and collects, for each
 * sample, what FaceRead said: the labelled face's age and gender for
 * attribute data sets, every box for detection data sets.
 */
import { createAnalyzer, type AnalyzerOptions } from '../analyzer.js';
import type { AnalysisResult, AnalyzeOptions, Analyzer, Point } from '../types.js';
import type { AttributeSample, DetectionSample } from './datasets/dataset-types.js';
import { mapBounded } from './map-bounded.js';
import type { AttributeOutcome } from './metrics/attribute-metrics.js';
import type { DetectionOutcome } from './metrics/detection-metrics.js';
import { padPhoto } from './pad-photo.js';
import { centroid, pickLabelledFace } from './pick-face.js';

export interface EvalRunSettings {
  analyzer: AnalyzerOptions;
  /** Black border added on every side, as a fraction of the longer side; 0 analyses photos as they are. */
  pad: number;
  /** Photos in flight (enough to keep the pool busy). */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

export interface RunTiming {
  photos: number;
  faces: number;
  detectMsPerPhoto: number;
  attributesMsPerFace: number;
}

export interface EvalRun<T> {
  outcomes: T[];
  models: AnalysisResult['models'] | undefined;
  timing: RunTiming;
  failures: { name: string; message: string }[];
}

export type NamedAttributeOutcome = AttributeOutcome & { name: string };
export type NamedDetectionOutcome = DetectionOutcome & { name: string };

class TimingTotals {
  photos = 0;
  faces = 0;
  detectMs = 0;
  attributesMs = 0;
  add(result: AnalysisResult) {
    this.photos++;
    this.faces += result.faces.length;
    this.detectMs += result.timingsMs.detect;
    this.attributesMs += result.timingsMs.attributes;
  }
  summary(): RunTiming {
    return { photos: this.photos, faces: this.faces, detectMsPerPhoto: this.detectMs / Math.max(1, this.photos), attributesMsPerFace: this.attributesMs / Math.max(1, this.faces) };
  }
}

/** Analyses a photo, padded or not; boxes and landmarks come back in the photo's own pixels. */
async function analyzePhoto(analyzer: Analyzer, file: string, pad: number, options: AnalyzeOptions): Promise<AnalysisResult> {
  if (pad <= 0) return analyzer.analyze(file, options);
  const { bytes, offset } = await padPhoto(file, pad);
  const result = await analyzer.analyze(bytes, options);
  for (const face of result.faces) {
    face.box = { ...face.box, x: face.box.x - offset.x, y: face.box.y - offset.y };
    face.landmarks = face.landmarks?.map(([x, y]): Point => [x - offset.x, y - offset.y]);
  }
  return result;
}

async function withAnalyzer<T>(settings: EvalRunSettings, body: (analyzer: Analyzer) => Promise<T>): Promise<T> {
  const analyzer = await createAnalyzer(settings.analyzer);
  try {
    return await body(analyzer);
  } finally {
    await analyzer.close();
  }
}

/**
 * Age and gender of the labelled face of every sample; missed faces are kept (detected: false).
 *
 * @example
 *   const run = await runAttributeEvaluation(samples, { analyzer: { profile: 'default' }, pad: 0, concurrency: 4 });
 *   attributeReport(run.outcomes).overall.ageMae;
 */
export async function runAttributeEvaluation(samples: readonly AttributeSample[], settings: EvalRunSettings): Promise<EvalRun<NamedAttributeOutcome>> {
  const timing = new TimingTotals();
  const failures: EvalRun<NamedAttributeOutcome>['failures'] = [];
  let models: AnalysisResult['models'] | undefined;
  const outcomes = await withAnalyzer(settings, (analyzer) =>
    mapBounded(samples, settings.concurrency, async (sample): Promise<NamedAttributeOutcome> => {
      const base = { name: sample.name, trueAge: sample.age, trueGender: sample.gender, detected: false };
      let result: AnalysisResult;
      try {
        result = await analyzePhoto(analyzer, sample.file, settings.pad, {});
      } catch (error) {
        failures.push({ name: sample.name, message: (error as Error).message });
        return base;
      }
      timing.add(result);
      models ??= result.models;
      const reference: Point = sample.landmarks?.length ? centroid(sample.landmarks) : [result.image.width / 2, result.image.height / 2];
      const face = pickLabelledFace(result.faces, reference);
      if (!face) return base;
      const outcome: NamedAttributeOutcome = { ...base, detected: true };
      if (face.age) {
        outcome.predictedAge = face.age.years;
        if (face.age.range) outcome.ageRange = face.age.range;
      }
      if (face.gender) (outcome.predictedGender = face.gender.label), (outcome.genderProbability = face.gender.probability);
      return outcome;
    }, settings.onProgress),
  );
  return { outcomes, models, timing: timing.summary(), failures };
}

/** Detector settings for AP: keep low-scoring boxes so the whole precision/recall curve is seen. */
export const DETECTION_EVAL_OPTIONS: AnalyzeOptions = { minScore: 0.05, maxFaces: 1000, attributes: [] };

/**
 * Every box found in every photo, for AP and recall.
 *
 * @example
 *   const run = await runDetectionEvaluation(photos, { analyzer: { profile: 'fast' }, pad: 0, concurrency: 4 });
 *   detectionReport(run.outcomes).overall.ap50;
 */
export async function runDetectionEvaluation(samples: readonly DetectionSample[], settings: EvalRunSettings): Promise<EvalRun<NamedDetectionOutcome>> {
  const timing = new TimingTotals();
  const failures: EvalRun<NamedDetectionOutcome>['failures'] = [];
  let models: AnalysisResult['models'] | undefined;
  const outcomes = await withAnalyzer(settings, (analyzer) =>
    mapBounded(samples, settings.concurrency, async (sample): Promise<NamedDetectionOutcome> => {
      try {
        const result = await analyzePhoto(analyzer, sample.file, settings.pad, DETECTION_EVAL_OPTIONS);
        timing.add(result);
        models ??= result.models;
        return { name: sample.name, truth: sample.faces, detections: result.faces.map((f) => ({ box: f.box, score: f.score })) };
      } catch (error) {
        failures.push({ name: sample.name, message: (error as Error).message });
        return { name: sample.name, truth: sample.faces, detections: [] };
      }
    }, settings.onProgress),
  );
  return { outcomes, models, timing: timing.summary(), failures };
}
