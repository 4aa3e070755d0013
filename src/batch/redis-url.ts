/**
 * Redis URLs as users give them: checked once, and shown without their
 * password. Kept apart from the connection code so the CLI can check a URL
 * without loading a Redis driver.
 */
import { invalidOption } from '../errors.js';

/**
 * Checks a Redis URL (`redis://` or `rediss://`) and returns it.
 *
 * @example validateRedisUrl('redis://127.0.0.1:6379/0')
 */
export function validateRedisUrl(url: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['redis:', 'rediss:'].includes(parsed.protocol) || parsed.hostname === '') {
    throw invalidOption('--redis', 'a URL like redis://[user:password@]host:port[/db]', url);
  }
  return url as string;
}

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
