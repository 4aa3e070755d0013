/**
 * What the pipeline asks of each model family. A runner wraps one loaded
 * onnxruntime session (created once per worker, never per photo) and does
 * its own preprocessing and postprocessing, so the pipeline stays a list of
 * stages and never branches on a model's name.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { ExpressionResult } from '../attributes/expression.js';
import type { Detection, GenderLabel, Point, RgbImage } from '../types.js';

export interface DetectOptions {
  /** Drop detections scoring below this (0..1). */
  minScore: number;
  /** Keep at most this many, highest scores first. */
  maxFaces: number;
}

/** Finds faces; boxes are in `image` pixels, clamped to it. */
export interface FaceDetector {
  /**
   * The longer side of the photo this detector sees (its square input), for detectors that may be
   * given a reduced decode of a large JPEG. Unset: the detector gets the photo at the working side.
   */
  readonly inputSide?: number;
  /**
   * For detectors whose network input depends on the photo (YuNet, SCRFD, RetinaFace): the tensor
   * size the last photo was run at, which results report (`models.detectorInput`).
   */
  readonly lastInput?: { readonly paddedWidth: number; readonly paddedHeight: number } | null;
  detect(image: RgbImage, options: DetectOptions): Promise<Detection[]>;
}

/**
 * Runners that crop faces say how many pixels a face's longer side needs for a full-quality
 * crop; faces smaller than that in a reduced decode are cropped from the photo at the working
 * resolution instead. Unset: every face is (no reduced pixels ever reach the runner).
 */
export interface FaceCropper {
  readonly cropSide?: number;
}

/** Finds five landmarks (eyes, nose tip, mouth corners) for each given face. */
export interface LandmarkFinder extends FaceCropper {
  locate(image: RgbImage, faces: readonly Detection[]): Promise<Point[][]>;
  /** For 68-point models: all 68 points (iBUG order, image pixels), which pose and the face's leveling use. */
  locate68?(image: RgbImage, faces: readonly Detection[]): Promise<Point[][]>;
  /**
   * For 68-point models: each face's points found again from its `locate68` points, on crops placed by
   * those points and on their mirror images, averaged, so that a mirrored photo gives mirrored points
   * (what `pose` reads). Costs several more runs of the network a face: run only when asked for.
   */
  refine68?(image: RgbImage, points68: readonly (readonly Point[])[]): Promise<Point[][]>;
}

/** One prediction per face, in the order given. */
export interface AttributePrediction {
  gender?: { label: GenderLabel; probability: number };
  /** Estimated age in years. */
  ageYears?: number;
  /** Probability of each of the eight age buckets, for models that predict buckets. */
  ageBucketProbabilities?: number[];
  /** Years that hold the true age for about 80% of faces (calibrated models only). */
  ageRange?: [low: number, high: number];
  /** The most likely expression, its probability and all seven (src/attributes/expression.ts). */
  expression?: ExpressionResult;
}

/** Predicts attributes (age, gender, expression) for all faces of a photo in one batch. */
export interface AttributePredictor extends FaceCropper {
  /**
   * True for runners that reproduce another program's crop exactly (imported classifiers as their
   * spec says, Levi-Hassner as OpenCV's classic app): they read every face in the photo as it is,
   * never a levelled patch (src/pipeline/level-faces.ts), so their answers stay those of that program.
   */
  readonly ownGeometry?: boolean;
  predict(image: RgbImage, faces: readonly Detection[]): Promise<AttributePrediction[]>;
}

/**
 * Per-model settings a profile may give a runner (e.g. mirror averaging); each model kind says
 * which it takes (src/models/kinds.ts). Plain data: they cross to the worker threads.
 */
export type ModelOptions = Readonly<Record<string, string | number | boolean>>;

/**
 * What an import found out or was told about one model that its runner needs (e.g. an imported
 * classifier's input format and how its outputs become answers): JSON data, checked by its kind
 * at import and stored with the model in the manifest. It crosses to the worker threads.
 */
export type ModelSpec = { readonly [key: string]: unknown };

/** Builds a runner around a session that was created from the converted model. */
export type RunnerFactory<T> = (session: InferenceSession, options?: ModelOptions, spec?: ModelSpec) => T;
