import type { SecurityDetails, SecurityEventType, SecurityLog } from '../security-log/security-log';

/**
 * Caps security-log entries per event type and source. Refused upgrades need no
 * credentials, so without a cap anyone could grow the (encrypted, chained, never pruned)
 * log without bound. What is held back is not lost: the next entry that gets through
 * carries a `suppressed` count.
 */
export class SecurityEventThrottle {
  private readonly windows = new Map<
    string,
    { startedAt: number; recorded: number; suppressed: number }
  >();

  constructor(
    private readonly log: Pick<SecurityLog, 'record'>,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  record(type: SecurityEventType, source: string, details: SecurityDetails): void {
    const key = `${type}\u0000${source}`;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= 60_000) {
      window = { startedAt: now, recorded: 0, suppressed: window?.suppressed ?? 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.forgetOldWindows(now);
    }
    if (window.recorded >= this.perMinute) {
      window.suppressed += 1;
      return;
    }
    window.recorded += 1;
    const suppressed = window.suppressed;
    window.suppressed = 0;
    try {
      this.log.record(type, suppressed > 0 ? { ...details, suppressed } : details);
    } catch {
      // NOTE: the security log writing to a full disk must not take the relay down; the
      // failure is the log's to report, and the relay keeps enforcing its rules.
    }
  }

  private forgetOldWindows(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= 60_000) this.windows.delete(key);
    }
  }
}
