/**
 * Memory and CPU of a process and its descendants, read from Linux /proc,
 * for benchmarks that start a server with a shell or a launcher in front of
 * it (so the figures cover whatever the command ends up running).
 *
 * @example
 *   const before = treeCpuMs(child.pid);
 *   resetPeakRss(child.pid); // VmHWM starts again from the current RSS
 *   // ... load ...
 *   const cpuMs = treeCpuMs(child.pid) - before;
 *   const peakMb = treePeakRssMb(child.pid);
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone
  }
}

/** Whether `pid` exists and is not a zombie (exited, waiting to be reaped). */
export function isRunning(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== null && fields[0] !== 'Z';
}

/** `pid` and every live descendant of it. */
export function treePids(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const parent = Number(fields[1]); // field 4, ppid
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (!statFields(next)) continue;
    tree.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return tree;
}

/**
 * CPU time of the tree in ms: user + system of every live process, plus the reaped children each
 * has waited for (cutime + cstime), so a process that exits mid-run is still counted once.
 */
export function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const member of treePids(pid)) {
    const fields = statFields(member);
    // utime, stime, cutime, cstime are fields 14-17 of stat; index 0 here is field 3.
    if (fields) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1000) / clockTicks();
}

/** Minor page faults of the tree's live processes so far (memory faulted in afresh, e.g. after malloc handed it back). */
export function treeMinorFaults(pid: number): number {
  // minflt is field 10 of stat; index 0 here is field 3.
  return treePids(pid).reduce((sum, member) => sum + Number(statFields(member)?.[7] ?? 0), 0);
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Sum of each process's peak resident set (VmHWM) in MB. With one process that is its peak; with
 * several it is an upper bound, since their peaks need not coincide.
 */
export function treePeakRssMb(pid: number): number {
  return treePids(pid).reduce((sum, member) => sum + statusKb(member, 'VmHWM'), 0) / 1024;
}

/** Current resident set of the tree in MB. */
export function treeRssMb(pid: number): number {
  return treePids(pid).reduce((sum, member) => sum + statusKb(member, 'VmRSS'), 0) / 1024;
}

/**
 * Restarts VmHWM from the current RSS for each process of the tree (`echo 5 > clear_refs`), so a
 * peak can be read per load level. Returns false where the kernel refused (then VmHWM is the peak
 * since the process started).
 */
export function resetPeakRss(pid: number): boolean {
  let ok = true;
  for (const member of treePids(pid)) {
    try {
      writeFileSync(`/proc/${member}/clear_refs`, '5');
    } catch {
      ok = false;
    }
  }
  return ok;
}
