/**
 * Reads a small labels CSV (header line, comma-separated, optional double
 * quotes) into records keyed by the header's column names.
 */

/** Splits one CSV line; a quoted field may hold commas and doubled quotes. */
function splitLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') fields.push(field), (field = '');
    else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/**
 * Rows of a CSV text as objects; throws naming the missing columns.
 *
 * @example
 *   parseLabelsCsv('file,age\na.jpg,31\n', ['file', 'age']); // [{ file: 'a.jpg', age: '31' }]
 */
export function parseLabelsCsv(text: string, required: readonly string[], source = 'labels.csv'): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new Error(`${source} is empty; expected a header line with: ${required.join(', ')}`);
  const header = splitLine(lines[0]!).map((h) => h.toLowerCase());
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new Error(`${source} lacks the column(s) ${missing.join(', ')}; its header is: ${header.join(', ')}`);
  return lines.slice(1).map((line) => {
    const values = splitLine(line);
    return Object.fromEntries(header.map((column, i) => [column, values[i] ?? '']));
  });
}

/** An age label as a number; throws naming the file when it is not a plausible age. */
export function parseAge(value: string, file: string): number {
  const age = Number(value);
  if (value === '' || !Number.isFinite(age) || age < 0 || age > 130) throw new Error(`Bad age "${value}" for ${file}`);
  return age;
}

/** A gender label (male/female, m/f, or UTKFace's 0 = male / 1 = female). */
export function parseGender(value: string, file: string): 'male' | 'female' {
  const v = value.trim().toLowerCase();
  if (v === 'male' || v === 'm' || v === '0') return 'male';
  if (v === 'female' || v === 'f' || v === '1') return 'female';
  throw new Error(`Bad gender "${value}" for ${file}; expected male or female`);
}
