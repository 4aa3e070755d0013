/**
 * The soak (`npm run soak -- --minutes 30`): the server process under steady
 * load at 70% of its measured capacity, posting the six sample photos from
 * this process over 127.0.0.1. Prints per window (5 minutes by default)
 * the requests served, errors, p50/p99 latency and the server's RSS, then
 * the verdict against the targets (zero errors, p99 within 20% across
 * windows, RSS growth under 5% from the first window to the last) and
 * writes bench/results/soak-<date>.json.
 *
 *   npm run soak -- --minutes 30 --window-minutes 5 --load 0.7
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runSoak } from '../test/helpers/soak-run.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'window-minutes': { type: 'string', default: '5' },
    load: { type: 'string', default: '0.7' },
  },
});
const minutes = Number(values.minutes);
const windowMinutes = Math.min(Number(values['window-minutes']), minutes);
const load = Number(values.load);
if (!(minutes > 0 && windowMinutes > 0 && load > 0 && load <= 4)) {
  throw new RangeError(`Expected positive --minutes and --window-minutes and --load in (0, 4] but received ${JSON.stringify(values)}`);
}

console.log(`soak: ${minutes} min at ${load * 100}% of capacity, windows of ${windowMinutes} min; load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const report = await runSoak({
  totalSeconds: minutes * 60,
  windowSeconds: windowMinutes * 60,
  loadFraction: load,
  onWindow: (w) =>
    console.log(`window ${w.index + 1}: served ${w.served}, errors ${w.errors}, p50 ${w.p50Ms.toFixed(0)} ms, p99 ${w.p99Ms.toFixed(0)} ms, RSS ${w.rssMb.toFixed(0)} MB (load average ${os.loadavg()[0]!.toFixed(1)})`),
});
const errors = report.windows.reduce((sum, w) => sum + w.errors, 0);
const served = report.windows.reduce((sum, w) => sum + w.served, 0);
console.log(`capacity ${report.capacityPerS.toFixed(2)} photos/s, sent at ${report.ratePerS.toFixed(2)}/s; served ${served}, errors ${errors} ${JSON.stringify(report.errorStatuses)}`);
console.log(`p99 spread across windows ${(report.p99Spread * 100).toFixed(1)}% (target < 20%), RSS growth first -> last window ${(report.rssGrowth * 100).toFixed(1)}% (target < 5%)`);
const pass = errors === 0 && report.p99Spread < 0.2 && report.rssGrowth < 0.05;
console.log(pass ? 'soak: all targets met' : 'soak: targets missed (see above)');
await mkdir('bench/results', { recursive: true });
const file = `bench/results/soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
await writeFile(file, `${JSON.stringify({ minutes, windowMinutes, load, loadAverage: os.loadavg(), ...report }, null, 2)}\n`);
console.log(`written ${file}`);
process.exitCode = pass ? 0 : 1;
