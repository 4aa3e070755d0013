/**
 * Content negotiation for annotated images: which image format, if any,
 * an `Accept` header prefers, and what `annotate=true` answers.
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

/** True when `accept` lists JSON (application/json or application/*) with a q above 0. */
function listsJson(accept: string): boolean {
  return accept.split(',').some((entry) => {
    const [type = '', ...params] = entry.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (type === 'application/json' || type === 'application/*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * What `annotate=true` answers: the image format an Accept header asks for; JPEG when it asks for no
 * image and does not list JSON either (no Accept, curl's `*\/*`); null (JSON) only when it lists JSON
 * and no image type. Asking for `annotate=true` is asking for the picture.
 *
 * @example annotatedFormat(undefined)          // 'jpeg'
 * @example annotatedFormat('application/json') // null
 */
export function annotatedFormat(accept: string | undefined): OverlayFormat | null {
  const image = pickImageFormat(accept);
  if (image) return image;
  return accept && listsJson(accept) ? null : 'jpeg';
}
