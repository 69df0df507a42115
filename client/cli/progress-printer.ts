// The progress line on stderr. On a terminal it is one line redrawn in place (carriage
// return, clear to end of line) and closed before anything else is printed; in a pipe or
// a log file it is a plain line at most every few seconds and on every change of state,
// so a log of a long transfer stays readable.
import type { CliEvent } from './events';
import { progressLine } from './file-format';

type Progress = Extract<CliEvent, { event: 'file-progress' }>;

/** In a pipe: at most one line per file this often (state changes and the end always show). */
const PIPE_EVERY_MS = 2000;

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class ProgressPrinter {
  /** A redrawn line is on screen without its newline yet. */
  private open = false;
  private readonly last = new Map<string, { at: number; state: string }>();

  constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
  ) {}

  show(event: Progress): void {
    const line = progressLine(event);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[K${line}`);
      this.open = true;
      return;
    }
    const previous = this.last.get(event.id);
    const at = this.now();
    const changed = previous?.state !== event.state;
    const finished = event.received >= event.size;
    if (!changed && !finished && previous && at - previous.at < PIPE_EVERY_MS) return;
    this.last.set(event.id, { at, state: event.state });
    this.stream.write(line + '\n');
  }

  /** Before any other line: ends the redrawn progress line so the two do not mix. */
  interrupt(): void {
    if (!this.open) return;
    this.stream.write('\n');
    this.open = false;
  }
}
