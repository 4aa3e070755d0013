/**
 * Content negotiation for annotated images: which image format, if any,
 * an `Accept` header prefers.
 */
import type { OverlayFormat } from '../image/draw-overlay.js';

/**
 * @example pickImageFormat('image/jpeg, application/json;q=0.5') // 'jpeg'
 * @example pickImageFormat('application/json') // null
 */
export function pickImageFormat(accept: string | undefined): OverlayFormat | null {
  if (!accept) return null;
  let best: { format: OverlayFormat; q: number } | null = null;
  for (const entry of accept.split(',')) {
    const [type = '', ...params] = entry.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const format: OverlayFormat | null = type === 'image/png' || type === 'image/*' ? 'png' : type === 'image/jpeg' || type === 'image/jpg' ? 'jpeg' : null;
    if (format && (!best || q > best.q)) best = { format, q };
  }
  return best?.format ?? null;
}
