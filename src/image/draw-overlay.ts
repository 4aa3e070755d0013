/**
 * Draws an analysis onto its photo: a box per face and a label such as
 * "female 97% · 28 y (25-32)", composited with sharp from an SVG overlay.
 * Result coordinates are in the EXIF-oriented image, so the photo is
 * rotated (`.rotate()`) before drawing. Used by the HTTP API
 * (`annotate=true`) and the CLI (`--annotate`).
 *
 * @example
 *   const png = await drawOverlay(bytes, await analyzer.analyze(bytes), 'png');
 */
import { loadSharp } from './load-sharp.js';
import { ATTRIBUTE_DEFINITIONS, findAttribute } from '../attributes/registry.js';
import type { AnalysisResult, FaceResult } from '../types.js';

export type OverlayFormat = 'png' | 'jpeg';

const COLOURS = { female: '#e8457a', male: '#2f7de1', unknown: '#f2b705' } as const;

/** The attributes in the order their parts join a label (src/attributes/: each says how it is drawn). */
const OVERLAY_ORDER = [...ATTRIBUTE_DEFINITIONS].sort((a, b) => a.overlayOrder - b.overlayOrder).map((d) => findAttribute(d.name));

/**
 * The one-line label of a face, e.g. "female 97% · 28 y (25-32)" or "female 97% · 23 y (nearest 25-32)"
 * (see age-display.ts); empty when no attribute was computed.
 */
export function faceLabel(face: FaceResult): string {
  return OVERLAY_ORDER.flatMap((d) => {
    const value = face[d.name];
    return value === undefined ? [] : [d.overlay(value)];
  }).join(' · ');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

interface LabelRect { x: number; y: number; w: number; h: number }

const overlaps = (a: LabelRect, b: LabelRect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Where a label goes: above its box (when there is room), else inside the box's top edge, else
 * below it, the first place that covers no label already placed (crowded photos); if none is
 * free, the first of these.
 * The page places its labels the same way (web/overlay.js).
 */
export function placeLabel(box: { x: number; y: number; height: number }, w: number, h: number, placed: readonly LabelRect[], width: number, height: number): LabelRect {
  const x = Math.max(0, Math.min(box.x, width - w));
  const clampY = (y: number) => Math.max(0, Math.min(y, height - h));
  const above = box.y - h >= 0 ? [box.y - h] : [];
  const candidates = [...above, box.y, box.y + box.height].map((y) => ({ x, y: clampY(y), w, h }));
  return candidates.find((c) => !placed.some((p) => overlaps(c, p))) ?? candidates[0]!;
}

/** The SVG (same size as the oriented photo) with every face's box and label. */
export function overlaySvg(result: AnalysisResult, width: number, height: number): string {
  // Line width and font scale with the photo so labels stay readable on large and small images.
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 300));
  const fontSize = Math.max(12, Math.round(Math.min(width, height) / 40));
  const placed: LabelRect[] = [];
  const shapes = result.faces.map((face) => {
    const { x, y, width: w, height: h } = face.box;
    const colour = COLOURS[face.gender?.label ?? 'unknown'];
    const label = faceLabel(face);
    let out = `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`;
    if (label) {
      // Roughly 0.6 em a character in a sans-serif font.
      const labelWidth = Math.ceil(label.length * fontSize * 0.6) + fontSize;
      const labelHeight = Math.round(fontSize * 1.4);
      const spot = placeLabel(face.box, labelWidth, labelHeight, placed, width, height);
      placed.push(spot);
      const { x: lx, y: ly } = spot;
      out +=
        `<rect x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" width="${labelWidth}" height="${labelHeight}" fill="${colour}" fill-opacity="0.85"/>` +
        `<text x="${(lx + fontSize / 2).toFixed(1)}" y="${(ly + labelHeight * 0.72).toFixed(1)}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${fontSize}" fill="#fff">${escapeXml(label)}</text>`;
    }
    return out;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${shapes.join('')}</svg>`;
}

/**
 * Returns the photo, oriented, with the result's faces drawn on it, encoded as PNG or JPEG.
 * @throws Error from sharp when `image` cannot be decoded
 */
export async function drawOverlay(image: Buffer, result: AnalysisResult, format: OverlayFormat): Promise<Buffer> {
  if (format !== 'png' && format !== 'jpeg') throw new RangeError(`Expected one of: png, jpeg for format but received '${String(format)}'`);
  // Orient first and materialise, so the overlay's size matches the oriented pixels exactly.
  const sharp = await loadSharp();
  const { data, info } = await sharp(image, { pages: 1 }).rotate().toBuffer({ resolveWithObject: true });
  const svg = Buffer.from(overlaySvg(result, info.width, info.height));
  const annotated = sharp(data).composite([{ input: svg, top: 0, left: 0 }]);
  return format === 'png' ? annotated.png().toBuffer() : annotated.jpeg({ quality: 90 }).toBuffer();
}
