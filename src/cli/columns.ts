/**
 * Plain-text tables for the CLI: each column as wide as its widest cell,
 * so long model or profile names never push the next column out of line.
 *
 * @example
 *   columns([['id', 'status'], ['faceapi-ssd-mobilenetv1', 'ok']]);
 *   // ['id                       status', 'faceapi-ssd-mobilenetv1  ok']
 */
export function columns(rows: readonly (readonly string[])[], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + gap))).join('').trimEnd());
}
