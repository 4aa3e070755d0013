/**
 * The outcome of one `faceread eval`: what was measured on what (data set,
 * split, profile, padding) and the figures, as a JSON-ready object and as
 * Markdown tables for people.
 */
import type { AnalysisResult } from '../../types.js';
import type { DatasetKind } from '../datasets/dataset-types.js';
import { AGE_BANDS, type AgeBand, type AttributeMetrics } from '../metrics/attribute-metrics.js';
import { SIZE_RANGES, type DetectionMetrics } from '../metrics/detection-metrics.js';
import type { RunTiming } from '../run-evaluation.js';
import type { SplitName } from '../split.js';

export interface EvalVariant {
  /** Border fraction used (0: as is). */
  pad: number;
  models: AnalysisResult['models'] | undefined;
  timing: RunTiming;
  failures: number;
  attributes?: { overall: AttributeMetrics; byBand: Record<AgeBand, AttributeMetrics> };
  detection?: { overall: DetectionMetrics; bySize: Record<string, DetectionMetrics> };
}

export interface EvalReport {
  dataset: { kind: DatasetKind; root: string; split: SplitName; samples: number; limit?: number };
  profile: string;
  createdAt: string;
  variants: EvalVariant[];
  notes: string[];
}

const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : `${(100 * v).toFixed(1)}%`);
const num = (v: number | undefined, digits = 2) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));
const padLabel = (pad: number) => (pad > 0 ? `padded ${Math.round(pad * 100)}%` : 'as is');

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function attributeRow(label: string, m: AttributeMetrics): string[] {
  return [label, String(m.faces), pct(m.detected / Math.max(1, m.faces)), pct(m.genderAccuracy), num(m.ageMae), num(m.ageMaeFound), num(m.ageBias, 1), pct(m.cs5), pct(m.bucketExact), pct(m.bucketOneOff), pct(m.rangeCoverage), num(m.rangeMeanWidth, 1), num(m.genderEce, 3)];
}

const ATTRIBUTE_HEADER = ['faces', 'n', 'found', 'gender acc', 'age MAE', 'MAE (found)', 'bias', 'CS@5', '8-bucket exact', 'one-off', 'range cover', 'range width', 'gender ECE'];

function variantMarkdown(variant: EvalVariant): string {
  const lines = [`### ${padLabel(variant.pad)}`, ''];
  const m = variant.models;
  if (m) lines.push(`Models: detector \`${m.detector}\`, age \`${m.age ?? '–'}\`, gender \`${m.gender ?? '–'}\`.`);
  const t = variant.timing;
  lines.push(`Speed: ${num(t.detectMsPerPhoto, 1)} ms detection (with landmarks) a photo, ${num(t.attributesMsPerFace, 1)} ms attributes a face (${t.photos} photos, ${t.faces} faces${variant.failures ? `, ${variant.failures} failed` : ''}).`, '');
  if (variant.attributes) {
    const { overall, byBand } = variant.attributes;
    const rows = [attributeRow('all', overall), ...AGE_BANDS.map((b) => attributeRow(b.label, byBand[b.label]))];
    lines.push(table(ATTRIBUTE_HEADER, rows), '');
  }
  if (variant.detection) {
    const { overall, bySize } = variant.detection;
    const row = (label: string, d: DetectionMetrics) => [label, String(d.faces), String(d.detections), pct(d.ap50), pct(d.recallAtPrecision90), pct(d.maxRecall)];
    const rows = [row('all', overall), ...SIZE_RANGES.map((r) => row(`${r.label} (${r.min}-${r.max === Infinity ? '' : r.max} px)`, bySize[r.label]!))];
    lines.push(table(['faces', 'n', 'detections', 'AP@0.5', 'recall @ P>=0.9', 'max recall'], rows), '');
  }
  return lines.join('\n');
}

/**
 * The report as Markdown.
 *
 * @example
 *   await writeFile('out.md', reportMarkdown(report));
 */
export function reportMarkdown(report: EvalReport): string {
  const d = report.dataset;
  const head = [
    `## ${d.kind} (${d.split}) — profile \`${report.profile}\``,
    '',
    `Data: \`${d.root}\`, split \`${d.split}\`, ${d.samples} samples${d.limit ? ` (limited to ${d.limit}, spread evenly)` : ''}. ${report.createdAt}.`,
    '',
    ...report.notes.map((n) => `- ${n}`),
    '',
  ];
  return [...head, ...report.variants.map(variantMarkdown)].join('\n');
}
