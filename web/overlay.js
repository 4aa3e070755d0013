// Draws face boxes and labels on a canvas 2D context, for photos and the
// live camera overlay alike. Coordinates are in the analysed image's pixels.

const COLOURS = { female: '#e8457a', male: '#2f7de1', unknown: '#f2b705' };

/** "female 97% · 28 (25-32)" in the page language. */
export function faceLabel(face, t) {
  const parts = [];
  if (face.gender) parts.push(`${t[face.gender.label]} ${Math.round(face.gender.probability * 100)}%`);
  if (face.age) parts.push(`${t.years(Math.round(face.age.years))} (${face.age.bucket})`);
  return parts.join(' · ');
}

export function faceColour(face) {
  return COLOURS[face.gender?.label ?? 'unknown'];
}

/**
 * Draws every face of `result` on `ctx`, scaled by `scale` (canvas pixels per image pixel).
 * Returns how many boxes were drawn.
 */
export function drawFaces(ctx, result, t, scale = 1) {
  const { width, height } = ctx.canvas;
  // Sizes are chosen in screen pixels: a 4000-pixel photo shown 500 pixels wide needs 8x larger strokes and text.
  const cssScale = ctx.canvas.clientWidth > 0 ? width / ctx.canvas.clientWidth : 1;
  const stroke = Math.max(2, Math.round(2.5 * cssScale));
  const fontSize = Math.max(10, Math.round(13 * cssScale));
  ctx.font = `${fontSize}px system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif`;
  ctx.textBaseline = 'top';
  result.faces.forEach((face, i) => {
    const x = face.box.x * scale;
    const y = face.box.y * scale;
    const w = face.box.width * scale;
    const h = face.box.height * scale;
    const colour = faceColour(face);
    ctx.lineWidth = stroke;
    ctx.strokeStyle = colour;
    ctx.strokeRect(x, y, w, h);
    const label = `${i + 1}. ${faceLabel(face, t)}`;
    const labelWidth = ctx.measureText(label).width + fontSize * 0.6;
    const labelHeight = fontSize * 1.35;
    const lx = Math.max(0, Math.min(x - stroke / 2, width - labelWidth));
    const ly = y - labelHeight >= 0 ? y - labelHeight : y;
    ctx.fillStyle = colour;
    ctx.globalAlpha = 0.88;
    ctx.fillRect(lx, ly, labelWidth, labelHeight);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#fff';
    ctx.fillText(label, lx + fontSize * 0.3, ly + fontSize * 0.18);
  });
  return result.faces.length;
}
