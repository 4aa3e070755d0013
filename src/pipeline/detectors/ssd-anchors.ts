/**
 * The SSD MobileNetV1 anchors (prior boxes). face-api ships them as a
 * constant (`Output/extra_dim`, exported from the TF Object Detection API);
 * they are regenerated here with that API's grid anchor rule, which gives
 * the same numbers to float32 rounding: six square feature maps, scales
 * spread evenly from 0.2 to 0.95, anchors centred on each cell.
 */

/** One anchor shape: its scale (relative to the image side) and aspect ratio (width / height). */
interface AnchorShape {
  scale: number;
  aspectRatio: number;
}

/** Feature map sides for the 512x512 input, in predictor order. */
export const SSD_FEATURE_MAP_SIDES = [32, 16, 8, 4, 2, 1] as const;

const MIN_SCALE = 0.2;
const MAX_SCALE = 0.95;
/** The exported graph used 0.3333 rather than 1/3. */
const ASPECT_RATIOS = [2, 0.5, 3, 0.3333] as const;

/** Anchor shapes per feature map, in the order the predictors emit them. */
function anchorShapes(layer: number): AnchorShape[] {
  const layers = SSD_FEATURE_MAP_SIDES.length;
  const scaleOf = (i: number) => (i < layers ? MIN_SCALE + ((MAX_SCALE - MIN_SCALE) * i) / (layers - 1) : 1);
  const scale = scaleOf(layer);
  // The lowest (finest) map has only three anchors, one of them small.
  if (layer === 0) {
    return [
      { scale: 0.1, aspectRatio: 1 },
      { scale, aspectRatio: 2 },
      { scale, aspectRatio: 0.5 },
    ];
  }
  return [
    { scale, aspectRatio: 1 },
    { scale: Math.sqrt(scale * scaleOf(layer + 1)), aspectRatio: 1 },
    ...ASPECT_RATIOS.map((aspectRatio) => ({ scale, aspectRatio })),
  ];
}

/**
 * All anchors as [ymin, xmin, ymax, xmax] quadruples in 0..1 coordinates of
 * the square input, ordered by feature map, then row, column and shape
 * (the order of the model's `boxes` and `scores` outputs).
 *
 * @example
 *   const anchors = ssdAnchors();
 *   anchors.length / 4; // 5118
 */
export function ssdAnchors(): Float32Array {
  const out: number[] = [];
  SSD_FEATURE_MAP_SIDES.forEach((side, layer) => {
    const shapes = anchorShapes(layer);
    const stride = 1 / side;
    for (let row = 0; row < side; row++) {
      for (let col = 0; col < side; col++) {
        const cy = (row + 0.5) * stride;
        const cx = (col + 0.5) * stride;
        for (const { scale, aspectRatio } of shapes) {
          const halfHeight = scale / Math.sqrt(aspectRatio) / 2;
          const halfWidth = (scale * Math.sqrt(aspectRatio)) / 2;
          out.push(cy - halfHeight, cx - halfWidth, cy + halfHeight, cx + halfWidth);
        }
      }
    }
  });
  return Float32Array.from(out);
}

let cached: Float32Array | undefined;

/**
 * `ssdAnchors()`, computed once per process (callers must not modify it).
 *
 * @example
 *   const box = decodeSsdBox(encodings, sharedSsdAnchors(), index);
 */
export function sharedSsdAnchors(): Float32Array {
  cached ??= ssdAnchors();
  return cached;
}
