/**
 * A reader for the protobuf text format: Caffe's `.prototxt` network
 * definitions and TensorFlow's `.pbtxt` graphs are both written in it.
 * It parses without a schema into a tree of `TextMessage`s; callers ask for
 * fields by name with typed getters that apply the schema's defaults.
 *
 * @example
 *   const net = parseTextFormat('name: "n" layer { name: "conv1" type: "Convolution" }', 'deploy.prototxt');
 *   net.messages('layer')[0]!.string('type'); // 'Convolution'
 */

/** A scalar as written: numbers as numbers, `true`/`false` as booleans, strings and enum names as strings. */
export type TextScalar = number | boolean | string;
export type TextValue = TextScalar | TextMessage;

export class TextMessage {
  private readonly fields = new Map<string, TextValue[]>();

  constructor(readonly source: string) {}

  add(name: string, value: TextValue): void {
    const list = this.fields.get(name);
    if (list) list.push(value);
    else this.fields.set(name, [value]);
  }

  has(name: string): boolean {
    return this.fields.has(name);
  }

  /** Field names in the order first seen. */
  names(): string[] {
    return [...this.fields.keys()];
  }

  /** Every value of a repeated field (an empty array when absent). */
  all(name: string): TextValue[] {
    return this.fields.get(name) ?? [];
  }

  /** The last value of a field (protobuf semantics for a repeated singular field), or undefined. */
  last(name: string): TextValue | undefined {
    const list = this.fields.get(name);
    return list?.[list.length - 1];
  }

  number(name: string, fallback: number): number;
  number(name: string): number | undefined;
  number(name: string, fallback?: number): number | undefined {
    const value = this.last(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'number') throw this.error(name, 'a number', value);
    return value;
  }

  numbers(name: string): number[] {
    return this.all(name).map((value) => {
      if (typeof value !== 'number') throw this.error(name, 'numbers', value);
      return value;
    });
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.last(name);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 0 || value === 1) return value === 1;
    throw this.error(name, 'true or false', value);
  }

  /** A string or enum field. */
  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    const value = this.last(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'string') throw this.error(name, 'a string', value);
    return value;
  }

  strings(name: string): string[] {
    return this.all(name).map((value) => {
      if (typeof value !== 'string') throw this.error(name, 'strings', value);
      return value;
    });
  }

  /** A sub-message; an empty one (all defaults) when absent. */
  message(name: string): TextMessage {
    const value = this.last(name);
    if (value === undefined) return new TextMessage(this.source);
    if (!(value instanceof TextMessage)) throw this.error(name, 'a message', value);
    return value;
  }

  messages(name: string): TextMessage[] {
    return this.all(name).map((value) => {
      if (!(value instanceof TextMessage)) throw this.error(name, 'messages', value);
      return value;
    });
  }

  private error(name: string, expected: string, value: TextValue): Error {
    const shown = value instanceof TextMessage ? '{ ... }' : JSON.stringify(value);
    return new Error(`Expected ${expected} for field "${name}" in ${this.source} but found ${shown}`);
  }
}

interface Token {
  kind: 'word' | 'string' | 'symbol';
  text: string;
  line: number;
}

const SYMBOLS = new Set(['{', '}', '<', '>', ':', ';', ',', '[', ']']);

function tokenize(text: string, source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (SYMBOLS.has(c)) {
      tokens.push({ kind: 'symbol', text: c, line });
      i++;
    } else if (c === '"' || c === "'") {
      const { value, end } = readQuoted(text, i, source, line);
      tokens.push({ kind: 'string', text: value, line });
      i = end;
    } else {
      let end = i;
      while (end < text.length && !/[\s{}<>:;,#"'[\]]/.test(text[end]!)) end++;
      tokens.push({ kind: 'word', text: text.slice(i, end), line });
      i = end;
    }
  }
  return tokens;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };

function readQuoted(text: string, start: number, source: string, line: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      const next = text[++i]!;
      if (/[0-7]/.test(next)) {
        // Octal byte escapes (\303) as TF writes binary strings.
        const digits = /^[0-7]{1,3}/.exec(text.slice(i))![0];
        value += String.fromCharCode(parseInt(digits, 8));
        i += digits.length - 1;
      } else {
        value += ESCAPES[next] ?? next;
      }
    } else {
      value += c;
    }
  }
  throw new Error(`Unterminated string starting on line ${line} of ${source}`);
}

function scalarOf(token: Token): TextScalar {
  if (token.kind === 'string') return token.text;
  if (token.text === 'true' || token.text === 'True') return true;
  if (token.text === 'false' || token.text === 'False') return false;
  const number = Number(token.text.replace(/[fF]$/, ''));
  if (token.text !== '' && /^[-+.0-9]/.test(token.text) && !Number.isNaN(number)) return number;
  if (/^-?(inf|infinity|nan)$/i.test(token.text)) return Number(token.text.replace(/inf$/i, 'Infinity').replace(/^nan$/i, 'NaN'));
  return token.text;
}

/**
 * Parses protobuf text format. Adjacent strings are concatenated and
 * `[a, b]` lists expand to repeated values, as protobuf's parser does.
 *
 * @example
 *   parseTextFormat('dim: 1 dim: 3', 'x').numbers('dim'); // [1, 3]
 */
export function parseTextFormat(text: string, source: string): TextMessage {
  const tokens = tokenize(text, source);
  let p = 0;
  const fail = (message: string): never => {
    const token = tokens[Math.min(p, tokens.length - 1)];
    throw new Error(`${message} on line ${token?.line ?? 1} of ${source}`);
  };
  const peek = () => tokens[p];

  function parseMessage(closing: string | undefined): TextMessage {
    const message = new TextMessage(source);
    for (;;) {
      const token = peek();
      if (!token) {
        if (closing) fail(`Expected "${closing}" before the end of the file`);
        return message;
      }
      if (token.kind === 'symbol' && token.text === closing) {
        p++;
        return message;
      }
      if (token.kind === 'symbol' && (token.text === ';' || token.text === ',')) {
        p++;
        continue;
      }
      if (token.kind !== 'word') fail(`Expected a field name but found "${token.text}"`);
      p++;
      parseField(message, token.text);
    }
  }

  function parseField(message: TextMessage, name: string): void {
    let token = peek() ?? fail(`Field "${name}" has no value`);
    const colon = token.kind === 'symbol' && token.text === ':';
    if (colon) {
      p++;
      token = peek() ?? fail(`Field "${name}" has no value`);
    }
    if (token.kind === 'symbol' && (token.text === '{' || token.text === '<')) {
      p++;
      message.add(name, parseMessage(token.text === '{' ? '}' : '>'));
    } else if (token.kind === 'symbol' && token.text === '[') {
      p++;
      while (peek() && peek()!.text !== ']') {
        if (peek()!.text === ',') p++;
        else if (peek()!.text === '{') {
          p++;
          message.add(name, parseMessage('}'));
        } else message.add(name, scalarOf(tokens[p++]!));
      }
      if (!peek()) fail(`Expected "]" for field "${name}"`);
      p++;
    } else {
      if (!colon) fail(`Expected ":" after field "${name}"`);
      if (token.kind === 'symbol') fail(`Expected a value for field "${name}" but found "${token.text}"`);
      p++;
      let value = scalarOf(token);
      while (token.kind === 'string' && peek()?.kind === 'string') value = `${value}${tokens[p++]!.text}`;
      message.add(name, value);
    }
  }

  return parseMessage(undefined);
}
