/**
 * The public shapes of FaceRead: the analysis result shared by the library,
 * the CLI and the HTTP API, and the options an analysis takes.
 */

export type Point = [x: number, y: number];

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The classic Levi-Hassner age buckets. */
export const AGE_BUCKETS = ['0-2', '4-6', '8-12', '15-20', '25-32', '38-43', '48-53', '60-100'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export type GenderLabel = 'female' | 'male';

export interface FaceResult {
  /** Pixels of the original image after EXIF orientation. */
  box: Box;
  /** Detector confidence, 0..1. */
  score: number;
  /** Five points: left eye, right eye, nose tip, left and right mouth corner (image's left/right). */
  landmarks?: Point[];
  gender?: { label: GenderLabel; probability: number };
  age?: {
    years: number;
    bucket: AgeBucket;
    /** Years holding the true age for the profile's stated share of faces (calibrated profiles and models). */
    range?: [low: number, high: number];
    /** For models that predict the eight buckets (Levi-Hassner): each bucket's probability, in AGE_BUCKETS order. */
    bucketProbabilities?: number[];
  };
}

export interface AnalysisResult {
  image: { width: number; height: number };
  faces: FaceResult[];
  timingsMs: { decode: number; detect: number; attributes: number; total: number };
  models: {
    detector: string;
    age: string | null;
    gender: string | null;
    /** For detectors that choose their input per photo (YuNet, SCRFD, RetinaFace): the size the network ran at. */
    detectorInput?: { width: number; height: number };
    /** The profile whose fitted calibration (`faceread calibrate`) mapped the answers. */
    calibrated?: string;
  };
}

export type Attribute = 'age' | 'gender';

/** Per-photo options; validated by `validateAnalyzeOptions`. */
export interface AnalyzeOptions {
  /** Faces scoring below this are dropped (0..1). */
  minScore?: number;
  /** At most this many faces, highest scores first. */
  maxFaces?: number;
  /** Which attributes to compute (default both). */
  attributes?: Attribute[];
}

/** Raw RGB pixels, 3 bytes a pixel, row-major, no padding. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A face as found by a detector, in the coordinates of the image it was given. */
export interface Detection {
  box: Box;
  score: number;
  landmarks?: Point[];
}

/** A loaded FaceRead: `createAnalyzer(options)` resolves to one once its models are ready. */
export interface Analyzer {
  /** Analyses one photo given as bytes or a file path. Errors are `FaceReadError`s with a code. */
  analyze(input: Buffer | string, options?: AnalyzeOptions, control?: { signal?: AbortSignal }): Promise<AnalysisResult>;
  /** Photos waiting for a worker and photos being analysed now. */
  load(): { queued: number; running: number };
  /** Stops the worker threads; pending analyses finish first. */
  close(): Promise<void>;
}
