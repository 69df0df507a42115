// Locks the vault after a stretch without activity. touch() runs on every key press and
// click, so it only stamps the time; the one timer checks the stamp when it fires and
// sleeps again for whatever is left, instead of being reset thousands of times.
const MAX_MINUTES = 7 * 24 * 60;

export class AutoLock {
  #ms = 0;
  #active = false;
  #lastActivity = Date.now();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onIdle: () => void) {}

  /** 0 turns it off; fractions of a minute are allowed. */
  configure(minutes: number): void {
    if (!Number.isFinite(minutes) || minutes < 0 || minutes > MAX_MINUTES) {
      throw new RangeError(`Auto-lock takes 0 to ${MAX_MINUTES} minutes.`);
    }
    this.#ms = minutes * 60_000;
    this.#lastActivity = Date.now();
    this.#arm();
  }

  /** Counting starts now (the vault was unlocked or a passphrase set). */
  start(): void {
    this.#active = true;
    this.#lastActivity = Date.now();
    this.#arm();
  }

  stop(): void {
    this.#active = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  touch(): void {
    this.#lastActivity = Date.now();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#active || this.#ms === 0) return;
    const left = this.#lastActivity + this.#ms - Date.now();
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (Date.now() - this.#lastActivity >= this.#ms) {
          this.#active = false;
          this.onIdle();
        } else {
          this.#arm();
        }
      },
      Math.max(0, left),
    );
  }
}
