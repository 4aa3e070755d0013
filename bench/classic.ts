/**
 * `npm run bench:classic`: FaceRead as users start it (`npm start`) against
 * the classic Flask app it replaces (bench/classic-app.py on Debian's
 * OpenCV 4.6 DNN, the res10 TF detector with its real weights, Levi-Hassner
 * age and gender definitions with random weights: the same compute), side by
 * side in one run, over HTTP on the same multipart uploads of the six 1920 px
 * face-api sample photos. A third server, FaceRead serving the classic
 * app's own networks (imported with `models import-classic`, fed as the
 * classic app feeds them) with FACEREAD_API_COMPAT=classic, is the drop-in:
 * its one-at-a-time answers are compared with the classic app's, field by
 * field (boxes, gender, age bucket).
 *
 * Each server runs alone (the other is stopped) at 1 client (one request at
 * a time), then 4 and 16 clients, in closed loops. Per level: requests/s,
 * correct answers/s (an answer counts as correct when it equals the server's
 * own one-at-a-time answer for that photo), failures by status with the first
 * distinct error messages, p50/p99 latency, the server's peak RSS (VmHWM of
 * its process tree, restarted per level) and its CPU ms per request from
 * /proc. Prints Markdown tables with FaceRead-to-classic ratios and writes
 * bench/results/classic-<date>.json. A server that dies is restarted for the
 * next level, and the death is reported.
 *
 * Options (flag or env): --duration S / BENCH_DURATION_S (default 20),
 * --levels 1,4,16 / BENCH_LEVELS, --servers classic,faceread / BENCH_SERVERS.
 * Skips, saying why, without ../shared/models/opencv or Debian's
 * python3-opencv and python3-flask. Run it under
 * `flock /tmp/faceread-measure.lock` on a shared machine.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { caffeModelFor, OPENCV_MODELS_DIR } from '../test/helpers/opencv-fixtures.js';
import { openCvUnavailable } from '../test/helpers/opencv-dnn.js';
import { percentile } from './child-json.js';
import { classicRuntime, classicServer, faceReadClassicServer, faceReadServer, type NetFiles, type ServerSpec, type Verdict } from './classic-servers.js';
import { closedLoop, multipartUpload, post, type Upload } from './closed-loop.js';
import { isRunning, resetPeakRss, treeCpuMs, treePeakRssMb, treePids, treeRssMb } from './process-tree.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

function option(flag: string, env: string, fallback: string): string {
  const at = process.argv.indexOf(flag);
  return (at >= 0 ? process.argv[at + 1] : undefined) ?? process.env[env] ?? fallback;
}

const durationS = Number(option('--duration', 'BENCH_DURATION_S', '20'));
const levels = option('--levels', 'BENCH_LEVELS', '1,4,16').split(',').map(Number);
const serverIds = option('--servers', 'BENCH_SERVERS', 'classic,faceread,faceread-classic').split(',').map((s) => s.trim());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LevelResult {
  clients: number;
  windowS: number;
  /** Until the last answer of the level arrived (requests in flight at the end are waited for). */
  drainedS: number;
  requests: number;
  /** Answers that arrived within the window, per second. */
  requestsPerS: number;
  /** Correct answers within the window, per second: photos analysed as one at a time. */
  correctPerS: number;
  correct: number;
  /** 200 with an answer that differs from the one-at-a-time answer for that photo. */
  wrong: number;
  failed: number;
  statusCodes: Record<string, number>;
  /** The most frequent distinct failure messages (status and error body), with counts. */
  errors: { message: string; count: number }[];
  /** How wrong answers differed from the one-at-a-time answers, most frequent first. */
  wrongAnswers: { message: string; count: number }[];
  /** The first few wrong answers in full (body cut at 4,000 characters), for diagnosis. */
  wrongExamples: { photo: string; expected: string; body: string }[];
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  peakRssMb: number;
  /** False when the kernel refused to restart VmHWM (then the peak is since start). */
  peakIsPerLevel: boolean;
  /** NaN (null in the JSON) when the server died during the level. */
  serverCpuMsPerRequest: number;
  /** This process's CPU (the load generator) per request: it shares the machine with the server. */
  clientCpuMsPerRequest: number;
  serverDied: string | null;
}

interface ServerRun {
  id: string;
  label: string;
  commandLine: string;
  settings: Record<string, string>;
  startToReadyMs: number;
  idleRssMb: number;
  /** Faces in each photo's one-at-a-time answer. */
  facesPerPhoto: number[];
  /** Each photo's one-at-a-time answer without timings (null: it failed). */
  answers: (string | null)[];
  restarts: number;
  levels: LevelResult[];
}

interface Running {
  pid: number;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  exited: Promise<void>;
  readyMs: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}

const describeExit = (exit: Running['exit']) => (exit?.signal ? `killed by ${exit.signal}` : `exit code ${exit?.code}`);

async function start(spec: ServerSpec, port: number, logFile: string): Promise<Running> {
  const fd = openSync(logFile, 'a');
  const started = performance.now();
  const child = spec.spawn(port, fd);
  closeSync(fd);
  const running: Running = { pid: child.pid!, exit: null, exited: Promise.resolve(), readyMs: NaN };
  running.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(void (running.exit = { code, signal }))));
  while (true) {
    if (running.exit) throw new Error(`${spec.label} stopped before it was ready (${describeExit(running.exit)}); its log ${logFile} ends:\n${logTail(logFile)}`);
    if (performance.now() - started > spec.readyWithinMs) {
      await stop(running);
      throw new Error(`${spec.label} was not ready within ${spec.readyWithinMs / 1000} s; its log ${logFile} ends:\n${logTail(logFile)}`);
    }
    const status = await fetch(`http://127.0.0.1:${port}${spec.readyPath}`).then((r) => r.arrayBuffer().then(() => r.status), () => 0);
    if (spec.isReady(status)) break;
    await sleep(50);
  }
  running.readyMs = performance.now() - started;
  return running;
}

/**
 * SIGTERM to every process of the server's tree (only processes this bench started; as Ctrl-C
 * reaches the whole foreground job), SIGKILL to those left after 30 s.
 */
async function stop(running: Running): Promise<void> {
  const tree = treePids(running.pid);
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // already gone
      }
    }
  };
  signal([...tree].reverse(), 'SIGTERM');
  const deadline = performance.now() + 30_000;
  while (tree.some(isRunning) && performance.now() < deadline) await sleep(100);
  signal(tree.filter(isRunning), 'SIGKILL');
  await running.exited;
}

/** Waits until the server tree uses under 10% of a core (work left by clients that gave up), at most 20 s. */
async function settle(running: Running): Promise<void> {
  const deadline = performance.now() + 20_000;
  let before = treeCpuMs(running.pid);
  while (performance.now() < deadline && !running.exit) {
    await sleep(300);
    const now = treeCpuMs(running.pid);
    if (now - before < 30) return;
    before = now;
  }
}

/** One request per photo, in turn: warms the server and gives the one-at-a-time answers. */
async function warmUp(spec: ServerSpec, port: number, uploads: readonly Upload[]): Promise<Verdict[]> {
  const agent = new http.Agent({ keepAlive: true });
  try {
    const verdicts: Verdict[] = [];
    for (const upload of uploads) {
      const answer = await post(agent, new URL(`http://127.0.0.1:${port}/api/analyze`), upload, 120_000);
      const verdict = spec.verdict(answer.status, answer.body);
      if (verdict.kind !== 'answer') throw new Error(`${spec.label} failed on ${upload.name} one request at a time: ${verdict.message}`);
      verdicts.push(verdict);
    }
    return verdicts;
  } finally {
    agent.destroy();
  }
}

const faceCount = (n: number) => `${n} face${n === 1 ? '' : 's'}`;

function differences(answer: Verdict & { kind: 'answer' }, expected: Verdict & { kind: 'answer' }): string {
  if (answer.faces !== expected.faces) return `${faceCount(answer.faces)} instead of ${expected.faces}`;
  if (answer.boxes !== expected.boxes) return `${faceCount(answer.faces)} as expected, other boxes`;
  return `the same ${faceCount(answer.faces)} and boxes, other gender or age labels`;
}

async function runLevel(spec: ServerSpec, running: Running, port: number, uploads: readonly Upload[], reference: readonly Verdict[], clients: number): Promise<LevelResult> {
  await settle(running);
  const peakIsPerLevel = resetPeakRss(running.pid);
  const serverCpu0 = treeCpuMs(running.pid);
  const clientCpu0 = process.cpuUsage();
  let peakRssMb = 0;
  // VmHWM dies with the process: keep the last reading in case the server does not survive the level.
  const watch = setInterval(() => {
    if (!running.exit) peakRssMb = Math.max(peakRssMb, treePeakRssMb(running.pid));
  }, 250);
  const loop = await closedLoop({ url: new URL(`http://127.0.0.1:${port}/api/analyze`), uploads, clients, seconds: durationS, stop: () => running.exit !== null });
  clearInterval(watch);
  if (!running.exit) peakRssMb = Math.max(peakRssMb, treePeakRssMb(running.pid));
  const serverCpuMs = treeCpuMs(running.pid) - serverCpu0;
  const clientCpu = process.cpuUsage(clientCpu0);

  const statusCodes: Record<string, number> = {};
  const errors = new Map<string, number>();
  const wrongAnswers = new Map<string, number>();
  const wrongExamples: LevelResult['wrongExamples'] = [];
  const count = (map: Map<string, number>, message: string) => map.set(message, (map.get(message) ?? 0) + 1);
  let correct = 0;
  let correctInWindow = 0;
  let wrong = 0;
  let failed = 0;
  for (const shot of loop.shots) {
    statusCodes[shot.status] = (statusCodes[shot.status] ?? 0) + 1;
    const verdict = shot.status === 0 ? ({ kind: 'failure', message: `no answer: ${shot.body}` } as const) : spec.verdict(shot.status, shot.body);
    const expected = reference[shot.upload]!;
    if (verdict.kind === 'failure') {
      failed++;
      count(errors, verdict.message);
    } else if (expected.kind === 'answer' && verdict.signature !== expected.signature) {
      wrong++;
      count(wrongAnswers, `200 but not the one-at-a-time answer: ${differences(verdict, expected)}`);
      if (wrongExamples.length < 3) wrongExamples.push({ photo: uploads[shot.upload]!.name, expected: expected.signature, body: shot.body.slice(0, 4000) });
    } else {
      correct++;
      if (shot.doneAt <= loop.windowMs) correctInWindow++;
    }
  }
  const top = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([message, n]) => ({ message, count: n }));
  const latencies = loop.shots.map((s) => s.ms);
  const requests = loop.shots.length;
  return {
    clients,
    windowS: loop.windowMs / 1000,
    drainedS: loop.drainedMs / 1000,
    requests,
    requestsPerS: loop.shots.filter((s) => s.doneAt <= loop.windowMs).length / (loop.windowMs / 1000),
    correctPerS: correctInWindow / (loop.windowMs / 1000),
    correct,
    wrong,
    failed,
    statusCodes,
    errors: top(errors),
    wrongAnswers: top(wrongAnswers),
    wrongExamples,
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: Math.max(...latencies) },
    peakRssMb,
    peakIsPerLevel,
    // A tree that died took its CPU counters with it.
    serverCpuMsPerRequest: running.exit ? NaN : serverCpuMs / Math.max(requests, 1),
    clientCpuMsPerRequest: (clientCpu.user + clientCpu.system) / 1000 / Math.max(requests, 1),
    serverDied: running.exit ? describeExit(running.exit) : null,
  };
}

async function runServer(spec: ServerSpec, uploads: readonly Upload[], logDir: string): Promise<ServerRun> {
  const logFile = path.join(logDir, `${spec.id}.log`);
  const port = await freePort();
  process.stdout.write(`${spec.label}: starting (log ${logFile})... `);
  let running = await start(spec, port, logFile);
  try {
    const startToReadyMs = running.readyMs;
    const reference = await warmUp(spec, port, uploads);
    await settle(running);
    const idleRssMb = treeRssMb(running.pid);
    console.log(`ready in ${(startToReadyMs / 1000).toFixed(1)} s, ${idleRssMb.toFixed(0)} MB after warm-up; faces per photo one at a time: ${reference.map((v) => (v.kind === 'answer' ? v.faces : '-')).join(', ')}`);
    const run: ServerRun = {
      id: spec.id,
      label: spec.label,
      commandLine: spec.commandLine,
      settings: spec.settings,
      startToReadyMs: Math.round(startToReadyMs),
      idleRssMb: Math.round(idleRssMb),
      facesPerPhoto: reference.map((v) => (v.kind === 'answer' ? v.faces : -1)),
      answers: reference.map((v) => (v.kind === 'answer' ? v.signature : null)),
      restarts: 0,
      levels: [],
    };
    for (const clients of levels) {
      if (running.exit) {
        console.log(`  restarting ${spec.label} (it died: ${describeExit(running.exit)})`);
        running = await start(spec, port, logFile);
        await warmUp(spec, port, uploads);
        run.restarts++;
      }
      process.stdout.write(`  ${String(clients).padStart(2)} client(s) for ${durationS} s... `);
      const level = await runLevel(spec, running, port, uploads, reference, clients);
      run.levels.push(level);
      console.log(
        `${level.correctPerS.toFixed(2)} correct/s, ${level.correct} correct, ${level.wrong} wrong, ${level.failed} failed of ${level.requests}; p50 ${level.latencyMs.p50.toFixed(0)} ms${level.serverDied ? `; SERVER DIED (${level.serverDied})` : ''}`,
      );
    }
    return run;
  } finally {
    await stop(running);
  }
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const statusText = (codes: Record<string, number>) =>
  Object.entries(codes)
    .map(([code, n]) => `${code === '0' ? 'no answer' : code}: ${n}`)
    .join(', ');

function ratio(faceRead: number, classic: number): string {
  if (!(classic > 0)) return faceRead > 0 ? '∞ (the classic app: none)' : '-';
  return `${(faceRead / classic).toFixed(2)}x`;
}

function printTables(runs: ServerRun[]): void {
  console.log('\n| server | clients | requests/s | correct/s | answers (correct / wrong / failed) | status codes | p50 ms | p99 ms | peak RSS MB | server CPU ms/request |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const run of runs) {
    for (const l of run.levels) {
      console.log(
        `| ${run.label} | ${l.clients} | ${fixed(l.requestsPerS, 2)} | ${fixed(l.correctPerS, 2)} | ${l.correct} / ${l.wrong} / ${l.failed}${l.serverDied ? ` (server died: ${l.serverDied})` : ''} | ${statusText(l.statusCodes)} | ${fixed(l.latencyMs.p50, 0)} | ${fixed(l.latencyMs.p99, 0)} | ${fixed(l.peakRssMb, 0)} | ${fixed(l.serverCpuMsPerRequest, 0)} |`,
      );
    }
  }
  for (const run of runs) {
    const lines = run.levels.flatMap((l) => [...l.errors, ...l.wrongAnswers].map((m) => `  - ${l.clients} client(s), ${m.count}x: ${m.message}`));
    if (lines.length > 0) console.log(`\n${run.label}, failures and wrong answers (first distinct messages):\n${lines.join('\n')}`);
  }
  const classic = runs.find((r) => r.id === 'classic');
  if (!classic) return;
  for (const faceRead of runs.filter((r) => r.id !== 'classic')) compareWithClassic(classic, faceRead);
}

/** The answers of FaceRead's drop-in (classic shapes) against the classic app's, photo by photo. */
export function sameAnswers(classic: ServerRun, dropIn: ServerRun, names: readonly string[]): { identical: number; differing: string[] } {
  const differing = names.filter((_, i) => classic.answers[i] === null || classic.answers[i] !== dropIn.answers[i]);
  return { identical: names.length - differing.length, differing };
}

function compareWithClassic(classic: ServerRun, faceRead: ServerRun): void {
  const at = (run: ServerRun, clients: number) => run.levels.find((l) => l.clients === clients);
  console.log(`\n| | ${classic.label} | ${faceRead.label} | FaceRead vs classic |`);
  console.log('| --- | --- | --- | --- |');
  for (const clients of levels) {
    const c = at(classic, clients);
    const f = at(faceRead, clients);
    if (!c || !f) continue;
    const failures = (l: LevelResult) => (l.wrong + l.failed === 0 ? `none of ${l.requests}` : `${l.failed} failed, ${l.wrong} wrong of ${l.requests}`);
    if (clients === 1) {
      console.log(`| 1 client: p50 / p99 latency | ${fixed(c.latencyMs.p50, 0)} / ${fixed(c.latencyMs.p99, 0)} ms | ${fixed(f.latencyMs.p50, 0)} / ${fixed(f.latencyMs.p99, 0)} ms | ${ratio(c.latencyMs.p50, f.latencyMs.p50)} faster (p50) |`);
    }
    console.log(`| ${clients} client${clients === 1 ? '' : 's'}: correct photos/s | ${fixed(c.correctPerS, 2)} | ${fixed(f.correctPerS, 2)} | ${ratio(f.correctPerS, c.correctPerS)} |`);
    console.log(`| ${clients} client${clients === 1 ? '' : 's'}: failures | ${failures(c)}${c.serverDied ? ` (died: ${c.serverDied})` : ''} | ${failures(f)}${f.serverDied ? ` (died: ${f.serverDied})` : ''} | |`);
  }
  const peak = (run: ServerRun) => Math.max(...run.levels.map((l) => l.peakRssMb));
  const cpu = (run: ServerRun) => run.levels.map((l) => fixed(l.serverCpuMsPerRequest, 0)).join(' / ');
  console.log(`| peak RSS (VmHWM, process tree) | ${fixed(peak(classic), 0)} MB | ${fixed(peak(faceRead), 0)} MB | ${ratio(peak(faceRead), peak(classic))} |`);
  console.log(`| server CPU ms per request (${levels.join(' / ')} clients) | ${cpu(classic)} | ${cpu(faceRead)} | |`);
}

/**
 * The classic app's model folder (LearnOpenCV's file names) linking to `nets`, imported with
 * `faceread models import-classic` into a new store, fed OpenCV's way as bench/classic-app.py feeds
 * it. Returns the store.
 */
function importClassicFolder(nets: Record<'detector' | 'age' | 'gender', NetFiles>, workDir: string): string {
  const folder = path.join(workDir, 'root-models');
  const store = path.join(workDir, 'faceread-classic-store');
  mkdirSync(folder, { recursive: true });
  const names: [string, string][] = [
    ['opencv_face_detector_uint8.pb', nets.detector.model],
    ['opencv_face_detector.pbtxt', nets.detector.config],
    ['age_deploy.prototxt', nets.age.config],
    ['age_net.caffemodel', nets.age.model],
    ['gender_deploy.prototxt', nets.gender.config],
    ['gender_net.caffemodel', nets.gender.model],
  ];
  for (const [name, target] of names) symlinkSync(target, path.join(folder, name));
  const output = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'faceread.js'), 'models', 'import-classic', folder, '--detector-preprocessing', 'opencv', '--model-dir', store], { encoding: 'utf8' });
  console.log(`faceread models import-classic ${folder} --detector-preprocessing opencv:\n${output.trim().replace(/^/gm, '  ')}`);
  return store;
}

async function main(): Promise<void> {
  const skip = !existsSync(OPENCV_MODELS_DIR) ? `${OPENCV_MODELS_DIR} is absent (../shared holds the res10 and Levi-Hassner networks)` : openCvUnavailable();
  const runtime = classicRuntime();
  if (skip || 'missing' in runtime) {
    console.error(`bench:classic skipped: ${skip || ('missing' in runtime ? runtime.missing : '')}`);
    return;
  }
  if (!durationS || durationS <= 0 || levels.some((l) => !Number.isInteger(l) || l < 1)) throw new RangeError(`Expected a positive duration and positive integer levels but received ${durationS} s and ${levels.join(',')}`);
  const def = (name: string) => path.join(OPENCV_MODELS_DIR, name);
  // The seeds bench:opencv uses: the same random age and gender weights in both benches.
  const age = caffeModelFor('deploy_age.prototxt', { seed: 21, legacy: true, weightScale: 0.7 });
  const gender = caffeModelFor('deploy_gender.prototxt', { seed: 22, legacy: true, weightScale: 0.7 });
  const nets = {
    detector: { model: def('opencv_face_detector_uint8.pb'), config: def('opencv_face_detector.pbtxt') },
    age: { model: age.file, config: def('deploy_age.prototxt') },
    gender: { model: gender.file, config: def('deploy_gender.prototxt') },
  };
  const uploads = SAMPLE_PHOTOS.map((file) => multipartUpload(path.basename(file), readFileSync(file)));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'faceread-bench-classic-'));
  const uploadDir = path.join(workDir, 'uploads');
  mkdirSync(uploadDir);
  const specs: ServerSpec[] = [classicServer(ROOT, nets, uploadDir, runtime.opencv), faceReadServer(ROOT)];
  if (serverIds.includes('faceread-classic')) specs.push(faceReadClassicServer(ROOT, importClassicFolder(nets, workDir)));
  specs.splice(0, specs.length, ...specs.filter((s) => serverIds.includes(s.id)));
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a checkout
  }
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: os.release(), node: process.version };
  const loadBefore = os.loadavg();
  console.log(
    `bench:classic: ${uploads.length} multipart uploads (face-api sample1-6.jpg), levels ${levels.join(', ')} client(s), ${durationS} s each; ${machine.cpus} CPUs (${machine.model}); ` +
      `OpenCV ${runtime.opencv}, Flask ${runtime.flask}; age/gender ${age.real && gender.real ? 'real' : 'random'} weights; FaceRead ${commit || '(no git)'}; load average ${loadBefore[0]!.toFixed(2)}`,
  );

  for (const spec of specs) console.log(`  ${spec.id}: ${spec.commandLine}`);
  const runs: ServerRun[] = [];
  try {
    for (const spec of specs) runs.push(await runServer(spec, uploads, workDir));
  } finally {
    rmSync(uploadDir, { recursive: true, force: true });
  }
  printTables(runs);
  const classicRun = runs.find((r) => r.id === 'classic');
  const dropIn = runs.find((r) => r.id === 'faceread-classic');
  const same = classicRun && dropIn ? sameAnswers(classicRun, dropIn, uploads.map((u) => u.name)) : null;
  if (same) {
    console.log(`\nFaceRead's drop-in (classic networks, classic shapes) answers ${same.identical} of ${uploads.length} photos exactly as the classic app (boxes, gender, age)${same.differing.length ? `; differing: ${same.differing.join(', ')}` : ''}`);
  }

  const date = new Date().toISOString();
  const report = {
    date,
    machine: { ...machine, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg() },
    faceReadCommit: commit || null,
    method:
      'Each server alone, started as its users start it; closed loops of N clients over node:http posting multipart/form-data (field image) of face-api demo sample1..6.jpg in turn; ' +
      'a correct answer equals the server\'s own one-at-a-time answer for that photo (faces, boxes, labels); rates count answers within the window, other figures every answer of the level; ' +
      'peak RSS is the sum of VmHWM over the server\'s process tree, restarted per level via clear_refs; CPU from /proc/<pid>/stat of the tree.',
    durationS,
    levels,
    classic: { opencv: runtime.opencv, flask: runtime.flask, networks: nets, ageGenderWeights: age.real && gender.real ? 'real' : 'random' },
    servers: runs,
    dropInAnswersLikeClassic: same,
  };
  const out = path.join(ROOT, 'bench', 'results', `classic-${date.slice(0, 19).replace(/[:T]/g, '-')}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, out)}; server logs in ${workDir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
