/**
 * A soak run: the server process under steady load at a fraction of its
 * measured capacity for a while, cut in windows; per window the requests
 * served, the errors (anything but 200), p50/p99 latency and the server's
 * RSS at the window's end. Used by `npm run soak` and, shortened, by CI.
 */
import { measureCapacity, openLoop, percentile, type Shot } from './load-generator.js';
import { processRssMb } from './memory.js';
import { startServerProcess } from './server-process.js';

export interface SoakWindow {
  index: number;
  served: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
}

export interface SoakReport {
  capacityPerS: number;
  ratePerS: number;
  windowSeconds: number;
  windows: SoakWindow[];
  /** (largest p99 - smallest p99) / smallest, over the windows. */
  p99Spread: number;
  /** RSS growth from the end of the first window to the end of the last. */
  rssGrowth: number;
  errorStatuses: Record<string, number>;
}

export interface SoakOptions {
  totalSeconds: number;
  windowSeconds: number;
  /** Fraction of measured capacity to send; default 0.7. */
  loadFraction?: number;
  capacitySeconds?: number;
  onWindow?: (window: SoakWindow) => void;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { totalSeconds, windowSeconds, loadFraction = 0.7, capacitySeconds = 20 } = options;
  const server = await startServerProcess({ FACEREAD_LOG_LEVEL: 'info' });
  try {
    const capacityPerS = await measureCapacity(server.url, capacitySeconds);
    const ratePerS = capacityPerS * loadFraction;
    const windows: SoakWindow[] = [];
    const errorStatuses: Record<string, number> = {};
    let current: Shot[] = [];
    // Windows close on the clock; a request belongs to the window it was sent in.
    const closeWindow = async () => {
      const shots = current;
      current = [];
      const ok = shots.filter((s) => s.status === 200 && s.faces === [3, 3, 3, 4, 5, 4][s.sample - 1]);
      for (const s of shots) if (s.status !== 200) errorStatuses[s.status] = (errorStatuses[s.status] ?? 0) + 1;
      const window = { index: windows.length, served: ok.length, errors: shots.length - ok.length, p50Ms: percentile(ok.map((s) => s.ms), 50), p99Ms: percentile(ok.map((s) => s.ms), 99), rssMb: await processRssMb(server.pid) };
      windows.push(window);
      options.onWindow?.(window);
    };
    const ticker = setInterval(() => void closeWindow(), windowSeconds * 1000);
    await openLoop(server.url, { ratePerS, seconds: totalSeconds, onShot: (shot) => current.push(shot) });
    clearInterval(ticker);
    if (current.length > 0 && windows.length < Math.round(totalSeconds / windowSeconds)) await closeWindow();
    const p99s = windows.map((w) => w.p99Ms);
    return {
      capacityPerS,
      ratePerS,
      windowSeconds,
      windows,
      p99Spread: (Math.max(...p99s) - Math.min(...p99s)) / Math.min(...p99s),
      rssGrowth: windows.length > 1 ? windows.at(-1)!.rssMb / windows[0]!.rssMb - 1 : 0,
      errorStatuses,
    };
  } finally {
    server.kill();
    await server.exited;
  }
}
