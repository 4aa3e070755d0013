/**
 * A closed-loop HTTP load generator for side-by-side server benchmarks:
 * `clients` loops, each posting the next photo as soon as its previous
 * answer has arrived, for `seconds`; then it waits for the requests still
 * in flight so the server is idle before the next level. Every answer is
 * kept (status, body, latency, which photo), so servers with different
 * answer shapes can be checked after the run.
 *
 * Node's http client is used rather than autocannon because the classic
 * Flask app answers HTTP/1.0 and closes each connection, and autocannon
 * writes the next request to the closing socket (counting spurious errors
 * and losing track of which photo an answer belongs to).
 */
import http from 'node:http';

export interface Upload {
  name: string;
  body: Buffer;
  contentType: string;
}

export interface Shot {
  /** Index into the uploads. */
  upload: number;
  /** ms since the level started, when the answer (or the failure) arrived. */
  doneAt: number;
  ms: number;
  /** HTTP status, or 0 when no answer came (connection error, timeout). */
  status: number;
  /** The answer's body, or the client-side error. */
  body: string;
}

export interface LoopResult {
  shots: Shot[];
  /** ms from the start to the end of the measured window: `seconds`, or less if `stop()` ended it early. */
  windowMs: number;
  /** ms from the start until the last answer arrived. */
  drainedMs: number;
}

/** A multipart/form-data body with one file in field `image`, as a browser form sends it. */
export function multipartUpload(name: string, data: Buffer, field = 'image'): Upload {
  const boundary = `----FaceReadBench${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return { name, body: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** One POST; never rejects (failures come back as status 0). */
export function post(agent: http.Agent, url: URL, upload: Upload, timeoutMs: number): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number, body: string) => {
      if (settled) return;
      settled = true;
      resolve({ status, body, ms: performance.now() - started });
    };
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': upload.contentType, 'content-length': upload.body.length } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => finish(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        response.on('error', (error) => finish(0, `response error: ${error.message}`));
      },
    );
    request.setTimeout(timeoutMs, () => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    request.on('error', (error) => finish(0, `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${error.message}`));
    request.end(upload.body);
  });
}

/**
 * Runs `clients` closed loops over `uploads` (taken in turn across all clients) against `url` for
 * `seconds`, or until `stop()` returns true (e.g. the server died).
 */
export async function closedLoop(options: {
  url: URL;
  uploads: readonly Upload[];
  clients: number;
  seconds: number;
  timeoutMs?: number;
  stop?: () => boolean;
}): Promise<LoopResult> {
  const { url, uploads, clients, seconds, timeoutMs = 120_000, stop = () => false } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const shots: Shot[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  let next = 0;
  let stoppedAt: number | undefined;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          if (stop()) {
            stoppedAt ??= performance.now();
            break;
          }
          const upload = next++ % uploads.length;
          const answer = await post(agent, url, uploads[upload]!, timeoutMs);
          shots.push({ upload, doneAt: performance.now() - started, ...answer });
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const drainedMs = performance.now() - started;
  return { shots, windowMs: stoppedAt === undefined ? seconds * 1000 : Math.max(stoppedAt - started, 1), drainedMs };
}
