/**
 * A raw HTTP/1.1 client over a TCP socket, for requests that fetch refuses
 * to send: a declared length that is a lie, conflicting framing headers, a
 * body trickled byte by byte. Resolves with the status and body the server
 * answered, or with `status: null` when it closed the connection without one.
 */
import net from 'node:net';

export interface RawAnswer {
  status: number | null;
  headers: string;
  body: string;
  /** Milliseconds from connect to the end of the connection. */
  elapsedMs: number;
}

export interface RawRequestOptions {
  /** Give up (and destroy the socket) after this long; default 20 s. */
  timeoutMs?: number;
  /** Instead of sending `body` at once, send it in pieces of `bytes` every `everyMs`. */
  trickle?: { bytes: number; everyMs: number };
}

export function rawRequest(port: number, head: string, body: Buffer = Buffer.alloc(0), options: RawRequestOptions = {}): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let trickler: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      clearInterval(trickler);
      const text = Buffer.concat(chunks).toString('latin1');
      const [headers = '', ...rest] = text.split('\r\n\r\n');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1];
      resolve({ status: status ? Number(status) : null, headers, body: rest.join('\r\n\r\n'), elapsedMs: performance.now() - started });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', () => {});
    timer = setTimeout(() => socket.destroy(), options.timeoutMs ?? 20_000);
    socket.on('connect', () => {
      socket.write(head.replace(/\r?\n/g, '\r\n').replace(/(\r\n)*$/, '\r\n\r\n'));
      if (!options.trickle) {
        socket.write(body);
        return;
      }
      const { bytes, everyMs } = options.trickle;
      let at = 0;
      trickler = setInterval(() => {
        if (at >= body.length || socket.destroyed) return clearInterval(trickler);
        socket.write(body.subarray(at, at + bytes));
        at += bytes;
      }, everyMs);
    });
  });
}

/** The error code in a `{ error: { code } }` body, when there is one. */
export function errorCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}
