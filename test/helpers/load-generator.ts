/**
 * Load for overload and soak runs, sent only to 127.0.0.1 and bounded in
 * time and in requests in flight: a closed loop that measures capacity
 * (photos/s), an open loop that posts photos at a fixed rate whatever the
 * answers (as independent clients do), and a /healthz prober.
 */
import { readFileSync } from 'node:fs';
import { SAMPLE_DIR } from '../integration/server/helpers.js';

export interface Shot {
  /** ms since the run started. */
  at: number;
  ms: number;
  status: number;
  retryAfter: string | null;
  sample: number;
  faces: number | null;
}

const photos = [1, 2, 3, 4, 5, 6].map((n) => readFileSync(`${SAMPLE_DIR}/sample${n}.jpg`));

async function shoot(url: string, n: number, started: number): Promise<Shot> {
  const t0 = performance.now();
  try {
    const response = await fetch(`${url}/api/analyze`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: photos[n - 1] });
    const body = (await response.json()) as { faces?: unknown[] };
    return { at: t0 - started, ms: performance.now() - t0, status: response.status, retryAfter: response.headers.get('retry-after'), sample: n, faces: body.faces?.length ?? null };
  } catch {
    return { at: t0 - started, ms: performance.now() - t0, status: 0, retryAfter: null, sample: n, faces: null };
  }
}

/** Photos per second the server sustains with `clients` clients each sending the next photo on an answer. */
export async function measureCapacity(url: string, seconds: number, clients = 4): Promise<number> {
  const started = performance.now();
  const end = started + seconds * 1000;
  let ok = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) if ((await shoot(url, (next++ % 6) + 1, started)).status === 200) ok++;
    }),
  );
  return ok / ((performance.now() - started) / 1000);
}

/**
 * Posts photos at `ratePerS` for `seconds` (never more than `maxInFlight` at once: past it a
 * shot is skipped and counted), calling `onShot` for each answer.
 */
export async function openLoop(url: string, options: { ratePerS: number; seconds: number; maxInFlight?: number; onShot?: (shot: Shot) => void }): Promise<{ shots: Shot[]; skipped: number }> {
  const { ratePerS, seconds, maxInFlight = 256 } = options;
  const started = performance.now();
  const shots: Shot[] = [];
  const pending = new Set<Promise<void>>();
  let skipped = 0;
  for (let i = 0; ; i++) {
    const due = started + (i * 1000) / ratePerS;
    if (due > started + seconds * 1000) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (pending.size >= maxInFlight) {
      skipped++;
      continue;
    }
    const shot = shoot(url, (i % 6) + 1, started).then((result) => {
      shots.push(result);
      options.onShot?.(result);
      pending.delete(shot);
    });
    pending.add(shot);
  }
  await Promise.all(pending);
  return { shots, skipped };
}

/** Polls /healthz every `everyMs` until stopped; gives each answer's status and latency. */
export function probeHealth(url: string, everyMs = 200): { stop(): Promise<{ status: number; ms: number }[]> } {
  const answers: { status: number; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const status = await fetch(`${url}/healthz`).then((r) => r.status, () => 0);
      answers.push({ status, ms: performance.now() - t0 });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return answers;
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
