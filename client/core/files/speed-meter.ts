// Speed and time left for a progress bar: bytes over a sliding window of a few seconds.
const WINDOW_MS = 3000;

export class SpeedMeter {
  private samples: { at: number; bytes: number }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the running total; returns bytes per second over the window. */
  sample(total: number): number {
    const at = this.now();
    this.samples.push({ at, bytes: total });
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = (at - first.at) / 1000;
    return elapsed > 0 ? Math.max(0, (total - first.bytes) / elapsed) : 0;
  }

  reset(): void {
    this.samples = [];
  }
}

export function secondsLeft(remaining: number, bytesPerSecond: number): number | null {
  if (remaining <= 0) return 0;
  return bytesPerSecond > 0 ? Math.ceil(remaining / bytesPerSecond) : null;
}
