/**
 * Memory readings for leak checks: this process after a full garbage
 * collection (gc is exposed at run time, so tests need no node flag), and
 * another process's resident set from /proc.
 */
import { readFile } from 'node:fs/promises';
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

/** This process's memory after a full collection, in MB. */
export async function settledMemoryMb(): Promise<{ rss: number; heapUsed: number; arrayBuffers: number }> {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  // Let finished requests release their buffers before collecting.
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss / 1e6, heapUsed: usage.heapUsed / 1e6, arrayBuffers: usage.arrayBuffers / 1e6 };
}

/** Resident set of process `pid` in MB (Linux /proc). */
export async function processRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}
