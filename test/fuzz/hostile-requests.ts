/**
 * Requests whose framing is hostile rather than their image: multipart
 * without a boundary or cut short, several parts, no file, a 2 GB declared
 * length, conflicting length headers, bodies that are not images. Each has
 * the answer it must get; sent over a raw socket (test/helpers/raw-http.ts).
 */
import { rawRequest, errorCode, type RawAnswer } from '../helpers/raw-http.js';

export interface HostileRequest {
  name: string;
  head: string;
  body?: Buffer;
  /** The status and registered code the server must answer with. */
  expect: { status: number; code?: string };
}

const BOUNDARY = 'xFaceReadFuzzBoundary';

function part(name: string, content: Buffer | string, filename?: string, type = 'image/jpeg'): Buffer {
  const disposition = filename ? `form-data; name="${name}"; filename="${filename}"` : `form-data; name="${name}"`;
  const header = `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${filename ? `Content-Type: ${type}\r\n` : ''}\r\n`;
  return Buffer.concat([Buffer.from(header), Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from('\r\n')]);
}

const end = Buffer.from(`--${BOUNDARY}--\r\n`);

function post(path: string, contentType: string | null, body: Buffer, extra = ''): { head: string; body: Buffer } {
  const type = contentType === null ? '' : `Content-Type: ${contentType}\n`;
  return { head: `POST ${path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n${type}Content-Length: ${body.length}\n${extra}`, body };
}

/** The table of hostile requests; `photo` is a small valid JPEG, `maxBatchFiles` the server's batch limit. */
export function hostileRequests(photo: Buffer, maxBatchFiles: number): HostileRequest[] {
  const multipartType = `multipart/form-data; boundary=${BOUNDARY}`;
  const twoFiles = Buffer.concat([part('image', photo, 'a.jpg'), part('image', Buffer.from('not an image'), 'b.jpg'), end]);
  const tooMany = Buffer.concat([...Array.from({ length: maxBatchFiles + 1 }, (_, i) => part('image', photo, `${i}.jpg`)), end]);
  return [
    { name: 'multipart without a boundary', ...post('/api/analyze', 'multipart/form-data', Buffer.concat([part('image', photo, 'a.jpg'), end])), expect: { status: 400, code: 'MULTIPART_MALFORMED' } },
    { name: 'multipart whose body lacks its boundary', ...post('/api/analyze', multipartType, Buffer.from('just some bytes\r\n')), expect: { status: 400, code: 'MULTIPART_MALFORMED' } },
    { name: 'multipart cut short (no closing boundary)', ...post('/api/analyze', multipartType, part('image', photo, 'a.jpg').subarray(0, 2000)), expect: { status: 400, code: 'MULTIPART_MALFORMED' } },
    { name: 'multipart with two files: the first is analysed', ...post('/api/analyze', multipartType, twoFiles), expect: { status: 200 } },
    { name: 'multipart with only text fields', ...post('/api/analyze', multipartType, Buffer.concat([part('note', 'hello'), end])), expect: { status: 400, code: 'IMAGE_MISSING' } },
    { name: 'batch with more files than allowed', ...post('/api/analyze/batch', multipartType, tooMany), expect: { status: 413, code: 'TOO_MANY_FILES' } },
    { name: 'batch sent as a raw image', ...post('/api/analyze/batch', 'image/jpeg', photo), expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } },
    {
      name: '2 GB declared length',
      head: `POST /api/analyze HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nContent-Type: image/jpeg\nContent-Length: ${2 * 1024 ** 3}\n`,
      body: photo,
      expect: { status: 413, code: 'IMAGE_TOO_LARGE' },
    },
    {
      name: '2 GB declared multipart length',
      head: `POST /api/analyze HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nContent-Type: ${multipartType}\nContent-Length: ${2 * 1024 ** 3}\n`,
      body: part('image', photo, 'a.jpg'),
      expect: { status: 413, code: 'IMAGE_TOO_LARGE' },
    },
    {
      name: 'both Content-Length and Transfer-Encoding',
      head: 'POST /api/analyze HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nContent-Type: image/jpeg\nContent-Length: 10\nTransfer-Encoding: chunked\n',
      body: Buffer.from('0\r\n\r\n'),
      expect: { status: 400, code: 'BAD_REQUEST' },
    },
    { name: 'a JSON body', ...post('/api/analyze', 'application/json', Buffer.from('{"image":"aGVsbG8="}')), expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } },
    { name: 'no content type', ...post('/api/analyze', null, photo), expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } },
    { name: 'a PDF body', ...post('/api/analyze', 'application/pdf', Buffer.from('%PDF-1.4\n%%EOF\n')), expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } },
    { name: 'unknown query option', ...post('/api/analyze?minScor=0.5', 'image/jpeg', photo), expect: { status: 400, code: 'INVALID_OPTION' } },
    { name: 'query option out of range', ...post('/api/analyze?minScore=7', 'image/jpeg', photo), expect: { status: 400, code: 'INVALID_OPTION' } },
  ];
}

/** Sends one hostile request; returns the answer and what is wrong with it (null when it is as expected). */
export async function checkHostileRequest(port: number, request: HostileRequest): Promise<{ answer: RawAnswer; problem: string | null }> {
  const answer = await rawRequest(port, request.head, request.body ?? Buffer.alloc(0), { timeoutMs: 30_000 });
  const code = errorCode(answer.body);
  const wrongStatus = answer.status !== request.expect.status;
  const wrongCode = request.expect.code !== undefined && code !== request.expect.code;
  const problem = wrongStatus || wrongCode ? `expected ${request.expect.status} ${request.expect.code ?? ''}, got ${answer.status} ${code ?? answer.body.slice(0, 200)}` : null;
  return { answer, problem };
}
