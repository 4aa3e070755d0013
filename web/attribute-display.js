// How the page shows attributes other than age and gender in a face card:
// each attribute's lines are templates from GET /api/attributes (declared in
// src/attributes/*.ts), filled with the face's value. `{a.b}` is a field,
// `{a|%}` a 0..1 number as a whole percent, `{a|0}` rounded, `{a|term}` a word
// from the attribute's terms in the page language.

function field(value, path) {
  return path.split('.').reduce((v, key) => (v == null ? undefined : v[key]), value);
}

/** The text of one template line for `value`, or null when a field it names is missing. */
export function fillTemplate(template, value, terms = {}) {
  let missing = false;
  const text = template.replace(/\{([\w.]+)(?:\|(%|0|term))?\}/g, (_, path, format) => {
    const v = field(value, path);
    if (v === undefined || v === null) {
      if (format !== 'term') missing = true;
      return '';
    }
    if (format === '%') return String(Math.round(Number(v) * 100));
    if (format === '0') return String(Math.round(Number(v)));
    if (format === 'term') return terms[v] ?? String(v);
    return String(v);
  });
  return missing ? null : text;
}

/** The card lines of one attribute's value in `language`: [{ name, text }]. */
export function attributeLines(attribute, value, language) {
  const page = attribute.page;
  if (!page || page.builtIn || value === undefined) return [];
  const terms = page.terms?.[language] ?? {};
  return (page.lines[language] ?? page.lines.en).flatMap((template) => {
    const text = fillTemplate(template, value, terms);
    return text === null ? [] : [{ name: attribute.name, text }];
  });
}
