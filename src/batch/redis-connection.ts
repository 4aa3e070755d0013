/**
 * Connections to the Redis that holds the batch queues. A bad URL is a usage
 * error; an unreachable Redis fails fast with QUEUE_UNAVAILABLE and a list of
 * fixes instead of ioredis's silent endless reconnecting.
 */
import { Redis } from 'ioredis';
import { FaceReadError } from '../errors.js';
import { redactRedisUrl, validateRedisUrl } from './redis-url.js';

/** How BullMQ connects: workers need `maxRetriesPerRequest: null` for their blocking reads. */
export interface BullConnection {
  url: string;
  maxRetriesPerRequest: null;
}

export function bullConnection(url: string): BullConnection {
  return { url: validateRedisUrl(url), maxRetriesPerRequest: null };
}

export function queueUnavailable(url: string, reason: string, cause?: unknown): FaceReadError {
  return new FaceReadError(
    'QUEUE_UNAVAILABLE',
    `Cannot use Redis at ${redactRedisUrl(url)}: ${reason}. Possible fixes: start Redis ` +
      `(e.g. redis-server --bind 127.0.0.1 --port 6379), check the --redis URL and its password, ` +
      `check that this machine may reach that host and port.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * A connected ioredis client, or QUEUE_UNAVAILABLE after `timeoutMs`.
 * Once connected it reconnects on its own (workers outlive Redis restarts).
 *
 * @example const redis = await connectRedis('redis://127.0.0.1:6379'); await redis.ping(); redis.disconnect();
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(validateRedisUrl(url), { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 2 });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => { lastError = error; });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(lastError?.message ?? `no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect(), timeout]);
    await Promise.race([redis.ping(), timeout]);
    return redis;
  } catch (error) {
    redis.disconnect();
    // ioredis's own rejection says only 'Connection is closed'; the socket error says why.
    throw queueUnavailable(url, (lastError ?? (error as Error)).message.replace(/\.$/, ''), error);
  } finally {
    clearTimeout(timer);
  }
}
