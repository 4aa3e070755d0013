/**
 * Optional API key: when configured, every `/api/*` request must carry
 * `Authorization: Bearer <key>`, else 401 UNAUTHORIZED (worded apart for a
 * missing key and a key not accepted). Keys are compared
 * through their SHA-256 digests with `timingSafeEqual`, so neither the
 * content nor the length of the key leaks through response times.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { FaceReadError } from '../../errors.js';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** True when `header` is `Bearer <key>` for the expected key (constant time in the key's content). */
export function bearerMatches(header: string | undefined, expectedDigest: Buffer): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  // Hash something even when the header is missing, so every rejection costs the same.
  const given = digest(match?.[1] ?? '');
  return timingSafeEqual(given, expectedDigest) && match !== null;
}

/** Adds the check to `app` for URLs under `/api/`. Does nothing when `apiKey` is null. */
export function installApiKey(app: FastifyInstance, apiKey: string | null): void {
  if (apiKey === null) return;
  const expected = digest(apiKey);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    if (!bearerMatches(request.headers.authorization, expected)) {
      reply.header('www-authenticate', 'Bearer realm="faceread"');
      // A missing key and a wrong one need different fixes from the user, so they are worded apart.
      if (!request.headers.authorization) throw new FaceReadError('UNAUTHORIZED', 'An API key is required: send the header Authorization: Bearer <key>.');
      throw new FaceReadError('UNAUTHORIZED', 'The API key was not accepted: check the key sent in Authorization: Bearer <key>.');
    }
  });
}
