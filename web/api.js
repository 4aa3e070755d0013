// Calls the FaceRead API. Errors come back as { code, message } with the
// registry's code (or NETWORK_ERROR), never as thrown exceptions.

const KEY_STORAGE = 'faceread.apiKey';

export function apiKey() {
  try { return sessionStorage.getItem(KEY_STORAGE) ?? ''; } catch { return ''; }
}

export function setApiKey(value) {
  try { value ? sessionStorage.setItem(KEY_STORAGE, value) : sessionStorage.removeItem(KEY_STORAGE); } catch { /* private mode */ }
}

function authHeaders() {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/**
 * The model profiles the server offers (GET /api/profiles), the default first.
 * @returns {Promise<{ default: string, profiles: { name: string, models: object | null, ready: boolean }[] } | null>} null when unavailable (e.g. an API key is needed)
 */
export async function fetchProfiles() {
  try {
    const response = await fetch('/api/profiles', { headers: authHeaders() });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/**
 * The attributes the server computes on request (GET /api/attributes), with their labels.
 * @returns {Promise<{ default: string[], attributes: { name: string, byDefault: boolean, label: object, page: object }[] } | null>}
 */
export async function fetchAttributes() {
  try {
    const response = await fetch('/api/attributes', { headers: authHeaders() });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/**
 * Posts one photo (multipart, field `image`) or a JPEG frame (raw body),
 * analysed with model profile `profile` (`models=`; the server's default when empty) for
 * `attributes` (`attributes=`; the server's default when null).
 * Retries on SERVER_BUSY / NOT_READY after the Retry-After delay.
 * @returns {Promise<{ ok: true, result: object } | { ok: false, error: { code: string, message: string } }>}
 */
export async function analyzePhoto(body, { raw = false, retries = 2, profile = '', attributes = null } = {}) {
  const headers = authHeaders();
  const query = new URLSearchParams();
  if (profile) query.set('models', profile);
  if (attributes) query.set('attributes', attributes.join(','));
  const url = query.size > 0 ? `/api/analyze?${query}` : '/api/analyze';
  let payload = body;
  if (raw) headers['content-type'] = body.type || 'image/jpeg';
  else {
    payload = new FormData();
    payload.append('image', body, body.name || 'photo');
  }
  let response;
  try {
    response = await fetch(url, { method: 'POST', headers, body: payload });
  } catch (error) {
    return { ok: false, error: { code: 'NETWORK_ERROR', message: String(error?.message ?? error) } };
  }
  let json = null;
  try { json = await response.json(); } catch { /* not JSON */ }
  if (response.ok && json) return { ok: true, result: json };
  const error = json?.error ?? { code: 'UNKNOWN', message: `HTTP ${response.status}` };
  // The page words "no key" and "key not accepted" differently.
  if (error.code === 'UNAUTHORIZED') error.keySent = Boolean(headers.authorization);
  if ((error.code === 'SERVER_BUSY' || error.code === 'NOT_READY') && retries > 0) {
    const seconds = Math.min(10, Number(response.headers.get('retry-after')) || 1);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return analyzePhoto(body, { raw, retries: retries - 1, profile, attributes });
  }
  return { ok: false, error };
}
