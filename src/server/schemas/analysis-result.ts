/**
 * JSON schema of `AnalysisResult` (src/types.ts): documents the API in the
 * OpenAPI document and lets fastify serialize responses quickly. Objects
 * allow additional properties so a field the library adds is never dropped.
 */
import { AGE_BUCKETS } from '../../types.js';

const point = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;

export const analysisResultSchema = {
  $id: 'AnalysisResult',
  type: 'object',
  additionalProperties: true,
  required: ['image', 'faces', 'timingsMs', 'models'],
  properties: {
    image: {
      type: 'object',
      description: 'Size of the photo after EXIF orientation; face boxes are in these pixels.',
      properties: { width: { type: 'integer' }, height: { type: 'integer' } },
    },
    faces: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        required: ['box', 'score'],
        properties: {
          box: {
            type: 'object',
            properties: { x: { type: 'number' }, y: { type: 'number' }, width: { type: 'number' }, height: { type: 'number' } },
          },
          score: { type: 'number', description: 'Detector confidence, 0..1.' },
          landmarks: { type: 'array', items: point, description: 'Left eye, right eye, nose tip, left and right mouth corner.' },
          gender: {
            type: 'object',
            properties: { label: { type: 'string', enum: ['female', 'male'] }, probability: { type: 'number' } },
          },
          age: {
            type: 'object',
            properties: {
              years: { type: 'number' },
              bucket: { type: 'string', enum: [...AGE_BUCKETS] },
              range: point,
              bucketProbabilities: {
                type: 'array',
                items: { type: 'number' },
                description: 'For bucket models (OpenCV Levi-Hassner): probability of each bucket, in the order 0-2 ... 60-100.',
              },
            },
          },
        },
      },
    },
    timingsMs: {
      type: 'object',
      additionalProperties: { type: 'number' },
      properties: { decode: { type: 'number' }, detect: { type: 'number' }, attributes: { type: 'number' }, total: { type: 'number' } },
    },
    models: {
      type: 'object',
      properties: {
        detector: { type: 'string' },
        age: { type: ['string', 'null'] },
        gender: { type: ['string', 'null'] },
        detectorInput: {
          type: 'object',
          description: 'For detectors that choose their input per photo (imported YuNet, SCRFD, RetinaFace): the size in pixels the network ran at.',
          properties: { width: { type: 'integer' }, height: { type: 'integer' } },
        },
        calibrated: { type: 'string', description: 'The profile whose fitted calibration (`faceread calibrate`) mapped the ages, ranges and gender probabilities.' },
      },
    },
  },
} as const;

export const batchResponseSchema = {
  $id: 'BatchResponse',
  type: 'object',
  required: ['results'],
  properties: {
    results: {
      type: 'array',
      description: 'One entry per file, in the order sent: `result` when it was analysed, `error` when it failed.',
      items: {
        type: 'object',
        required: ['index'],
        properties: {
          index: { type: 'integer' },
          filename: { type: ['string', 'null'] },
          bytes: { type: 'integer' },
          result: { $ref: 'AnalysisResult#' },
          error: { $ref: 'ErrorResponse#/properties/error' },
        },
      },
    },
  },
} as const;
