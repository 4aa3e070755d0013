/**
 * The one line `faceread analyze` prints on stderr when it ends, so a run
 * whose output went to a file or a pipe still says what happened:
 * "faceread: 55 photos, 61 faces, 2 failed (c.jpg: UNSUPPORTED_MEDIA_TYPE; ...)".
 */
import type { FileOutcome } from './output-formats.js';

/** Failures named in the line; the rest are counted. */
const FAILURES_SHOWN = 3;

export class RunSummary {
  private photos = 0;
  private faces = 0;
  private readonly failures: string[] = [];

  add(outcome: FileOutcome): void {
    this.photos++;
    if ('error' in outcome) this.failures.push(`${outcome.file}: ${outcome.error.code}`);
    else this.faces += outcome.result.faces.length;
  }

  get failed(): number {
    return this.failures.length;
  }

  /** @example summary.line() // 'faceread: 3 photos, 7 faces, 1 failed (c.jpg: UNSUPPORTED_MEDIA_TYPE)\n' */
  line(): string {
    const counts = `${this.photos} photo${this.photos === 1 ? '' : 's'}, ${this.faces} face${this.faces === 1 ? '' : 's'}, ${this.failed} failed`;
    if (this.failed === 0) return `faceread: ${counts}\n`;
    const more = this.failed > FAILURES_SHOWN ? `; ${this.failed - FAILURES_SHOWN} more` : '';
    return `faceread: ${counts} (${this.failures.slice(0, FAILURES_SHOWN).join('; ')}${more})\n`;
  }
}
