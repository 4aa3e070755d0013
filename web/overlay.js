// Draws face boxes and labels on a canvas 2D context, for photos and the
// live camera overlay alike, and words a face's age. Coordinates are in the
// analysed image's pixels.

const COLOURS = { female: '#e8457a', male: '#2f7de1', unknown: '#f2b705' };

/**
 * The age as shown: whole years, the calibrated range in whole years (accurate profile), and the
 * bucket, marked as the nearest one when the years shown lie outside it (FaceRead's buckets leave
 * gaps: 23 gets 25-32). The same rule as src/pipeline/age-display.ts.
 */
export function ageShown(age) {
  const years = Math.round(age.years);
  const [low, high] = age.bucket.split('-').map(Number);
  const range = age.range ? [Math.round(age.range[0]), Math.round(age.range[1])] : null;
  return { years, range, bucket: age.bucket, nearest: years < low || years > high };
}

/** "female 97% · 28 y (25-32)" / "23 y (nearest 25-32)" in the page language. */
export function faceLabel(face, t) {
  const parts = [];
  if (face.gender) parts.push(`${t[face.gender.label]} ${Math.round(face.gender.probability * 100)}%`);
  if (face.age) parts.push(t.ageShort(ageShown(face.age)));
  return parts.join(' · ');
}

export function faceColour(face) {
  return COLOURS[face.gender?.label ?? 'unknown'];
}

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Where a label of size w x h goes for a box: above it, else inside its top edge, else below it,
 * the first place that covers no label already placed; if none is free, moved right until free.
 */
function placeLabel(box, w, h, placed, canvas) {
  const clampX = (x) => Math.max(0, Math.min(x, canvas.width - w));
  const clampY = (y) => Math.max(0, Math.min(y, canvas.height - h));
  const candidates = [box.y - h, box.y, box.y + box.h].map((y) => ({ x: clampX(box.x), y: clampY(y), w, h }));
  const free = candidates.find((c) => !placed.some((p) => overlaps(c, p)));
  if (free) return free;
  const spot = { ...candidates[0] };
  for (let tries = 0; tries < 50 && placed.some((p) => overlaps(spot, p)); tries++) spot.x = clampX(spot.x + w);
  return spot;
}

/**
 * Draws every face of `result` on `ctx`, scaled by `scale` (canvas pixels per image pixel).
 * Labels are the face's number (`numbers`, for photos, whose cards say the rest) or its whole
 * label (camera mode); they never cover one another where there is room. Returns how many boxes were drawn.
 */
export function drawFaces(ctx, result, t, scale = 1, { numbers = false } = {}) {
  const { width, height } = ctx.canvas;
  // Sizes are chosen in screen pixels: a 4000-pixel photo shown 500 pixels wide needs 8x larger strokes and text.
  const cssScale = ctx.canvas.clientWidth > 0 ? width / ctx.canvas.clientWidth : 1;
  const stroke = Math.max(1, Math.round(2.5 * cssScale));
  const fontSize = Math.max(8, Math.round(13 * cssScale));
  ctx.font = `${numbers ? '600 ' : ''}${fontSize}px system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif`;
  ctx.textBaseline = 'top';
  const placed = [];
  result.faces.forEach((face, i) => {
    const box = { x: face.box.x * scale, y: face.box.y * scale, w: face.box.width * scale, h: face.box.height * scale };
    const colour = faceColour(face);
    ctx.lineWidth = stroke;
    ctx.strokeStyle = colour;
    ctx.strokeRect(box.x, box.y, box.w, box.h);
    const label = numbers ? String(i + 1) : `${i + 1}. ${faceLabel(face, t)}`;
    const labelHeight = fontSize * 1.35;
    const labelWidth = Math.max(labelHeight, ctx.measureText(label).width + fontSize * 0.6);
    const spot = placeLabel({ ...box, x: box.x - stroke / 2 }, labelWidth, labelHeight, placed, { width, height });
    placed.push(spot);
    ctx.fillStyle = colour;
    ctx.globalAlpha = 0.88;
    ctx.fillRect(spot.x, spot.y, spot.w, spot.h);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#fff';
    ctx.textAlign = 'center';
    ctx.fillText(label, spot.x + spot.w / 2, spot.y + fontSize * 0.18);
    ctx.textAlign = 'start';
  });
  ctx.canvas.dataset.labels = JSON.stringify(placed.map((p) => [p.x, p.y, p.w, p.h].map(Math.round)));
  return result.faces.length;
}
