/**
 * Sends fuzz cases through the library (`analyzer.analyze`) and through
 * `POST /api/analyze` of a listening server, and sorts every outcome: a
 * result, or a documented client error (4xx with its registered code).
 * Anything else (a 5xx, an unregistered code, a status that does not match
 * its code, a library error that is not about the input) is a failure,
 * kept with the case that caused it so it can be replayed.
 */
import { ERROR_CODES, isFaceReadError, type ErrorCode } from '../../src/errors.js';
import type { Analyzer } from '../../src/types.js';
import type { FuzzCase } from './fuzz-cases.js';

/** What bad input may cause through the library: errors about the input, nothing else. */
export const INPUT_ERROR_CODES: readonly ErrorCode[] = ['IMAGE_UNDECODABLE', 'UNSUPPORTED_MEDIA_TYPE', 'IMAGE_TOO_MANY_PIXELS'];

export interface FuzzFailure {
  index: number;
  name: string;
  path: 'library' | 'http';
  outcome: string;
  detail: string;
}

export interface FuzzTally {
  /** Outcome ("library ok", "http 422 IMAGE_UNDECODABLE", ...) -> count. */
  counts: Map<string, number>;
  failures: FuzzFailure[];
  cases: number;
}

function count(tally: FuzzTally, outcome: string): void {
  tally.counts.set(outcome, (tally.counts.get(outcome) ?? 0) + 1);
}

export async function runLibraryCase(analyzer: Analyzer, fuzzCase: FuzzCase, tally: FuzzTally): Promise<void> {
  try {
    const result = await analyzer.analyze(fuzzCase.bytes);
    const sane = result.image.width > 0 && result.image.height > 0 && Array.isArray(result.faces);
    count(tally, sane ? 'library ok' : 'library ok but malformed');
    if (!sane) tally.failures.push({ index: fuzzCase.index, name: fuzzCase.name, path: 'library', outcome: 'malformed result', detail: JSON.stringify(result).slice(0, 300) });
  } catch (error) {
    const code = isFaceReadError(error) ? error.code : `not a FaceReadError (${(error as Error)?.name})`;
    const outcome = `library ${code}`;
    count(tally, outcome);
    if (!isFaceReadError(error) || !INPUT_ERROR_CODES.includes(error.code)) {
      tally.failures.push({ index: fuzzCase.index, name: fuzzCase.name, path: 'library', outcome, detail: String((error as Error)?.message) });
    }
  }
}

function requestInit(fuzzCase: FuzzCase): RequestInit {
  if (fuzzCase.transport === 'raw') {
    return { method: 'POST', headers: { 'content-type': fuzzCase.contentType }, body: fuzzCase.bytes };
  }
  const form = new FormData();
  form.append('image', new Blob([fuzzCase.bytes], { type: fuzzCase.contentType }), 'upload');
  return { method: 'POST', body: form };
}

/** Checks one HTTP answer: 200 with a result, or a 4xx whose body names a registered code of that status. */
export function judgeHttpAnswer(status: number, body: string): { outcome: string; problem: string | null } {
  if (status === 200) {
    try {
      const parsed = JSON.parse(body) as { image?: { width?: number }; faces?: unknown };
      const sane = Number(parsed.image?.width) > 0 && Array.isArray(parsed.faces);
      return { outcome: 'http 200', problem: sane ? null : `malformed result ${body.slice(0, 200)}` };
    } catch {
      return { outcome: 'http 200', problem: `200 without JSON: ${body.slice(0, 200)}` };
    }
  }
  let code: string | undefined;
  try {
    code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    // judged below: no registered code
  }
  const outcome = `http ${status} ${code ?? '(no code)'}`;
  const registered = code !== undefined && code in ERROR_CODES ? ERROR_CODES[code as ErrorCode] : undefined;
  if (!registered) return { outcome, problem: `unregistered error body: ${body.slice(0, 200)}` };
  if (registered.statusCode !== status) return { outcome, problem: `code ${code} is registered as ${registered.statusCode}` };
  if (status >= 500) return { outcome, problem: body.slice(0, 300) };
  return { outcome, problem: null };
}

export async function runHttpCase(baseUrl: string, fuzzCase: FuzzCase, tally: FuzzTally): Promise<void> {
  let status: number;
  let body: string;
  try {
    const response = await fetch(`${baseUrl}/api/analyze`, requestInit(fuzzCase));
    status = response.status;
    body = await response.text();
  } catch (error) {
    count(tally, 'http connection error');
    tally.failures.push({ index: fuzzCase.index, name: fuzzCase.name, path: 'http', outcome: 'connection error', detail: String((error as Error).cause ?? error) });
    return;
  }
  const { outcome, problem } = judgeHttpAnswer(status, body);
  count(tally, outcome);
  if (problem) tally.failures.push({ index: fuzzCase.index, name: fuzzCase.name, path: 'http', outcome, detail: problem });
}

export interface FuzzRunOptions {
  analyzer?: Analyzer;
  baseUrl?: string;
  concurrency: number;
  onCase?: (done: number) => void;
}

/** Runs every case through the library and/or HTTP (whichever is given), `concurrency` cases at a time. */
export async function runFuzz(cases: Iterable<FuzzCase>, options: FuzzRunOptions): Promise<FuzzTally> {
  const tally: FuzzTally = { counts: new Map(), failures: [], cases: 0 };
  const iterator = cases[Symbol.iterator]();
  const lane = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const fuzzCase = next.value;
      if (options.analyzer) await runLibraryCase(options.analyzer, fuzzCase, tally);
      if (options.baseUrl) await runHttpCase(options.baseUrl, fuzzCase, tally);
      options.onCase?.(++tally.cases);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return tally;
}

/** The tally as aligned lines, most frequent outcome first. */
export function formatTally(tally: FuzzTally): string {
  const rows = [...tally.counts].sort((a, b) => b[1] - a[1]);
  return rows.map(([outcome, n]) => `${String(n).padStart(7)}  ${outcome}`).join('\n');
}
