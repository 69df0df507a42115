// A chunk file's state (bitmap and meta) saved shortly after writes and at once on flush,
// shared by the browser and Node chunk stores. Saves run one after another, each writing
// the state as it is when it runs, so a burst of chunk writes costs one save. A save that
// failed does not stop the next one from trying.
export class DelayedSave {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: () => Promise<void>,
    private readonly delayMs: number,
  ) {}

  /** A save soon: one for any number of calls before it runs. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.now().catch(() => undefined);
    }, this.delayMs);
  }

  /** A save now (after the one running, if any); rejects if this one fails. */
  now(): Promise<void> {
    this.drop();
    const next = this.saving.catch(() => undefined).then(() => this.write());
    this.saving = next;
    return next;
  }

  /** Forgets a scheduled save (the one running, if any, goes on). */
  drop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Waits for the save running, if any, whatever its outcome. */
  async idle(): Promise<void> {
    await this.saving.catch(() => undefined);
  }
}
