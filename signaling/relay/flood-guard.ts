import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RelayTuning } from './tuning';

export type FloodVerdict = 'pass' | 'drop' | 'close';

/**
 * Frame budgets per connection and per user (rate-limiter-flexible, memory store). Over
 * budget, frames are dropped; a connection that keeps sending while throttled is closed
 * (4029) so it stops costing us parsing and bandwidth.
 */
export class FloodGuard {
  private readonly perConnection: RateLimiterMemory;
  private readonly perUser: RateLimiterMemory;
  private readonly dropped: RateLimiterMemory;

  constructor(private readonly tuning: RelayTuning) {
    const duration = tuning.windowSeconds;
    this.perConnection = new RateLimiterMemory({
      keyPrefix: 'ws-conn',
      points: tuning.connectionPoints,
      duration,
    });
    this.perUser = new RateLimiterMemory({
      keyPrefix: 'ws-user',
      points: tuning.userPoints,
      duration,
    });
    this.dropped = new RateLimiterMemory({
      keyPrefix: 'ws-dropped',
      points: tuning.droppedFramesBeforeClose,
      duration,
    });
  }

  /**
   * NOTE: the memory store decides synchronously inside `consume`; the promise only
   * delivers the answer. Verdicts therefore resolve in frame order, so a connection's
   * frames are never reordered.
   */
  async check(connectionId: string, userId: number, bytes: number): Promise<FloodVerdict> {
    const cost = 1 + Math.floor(bytes / this.tuning.bytesPerExtraPoint);
    try {
      await Promise.all([
        this.perConnection.consume(connectionId, cost),
        this.perUser.consume(String(userId), cost),
      ]);
      return 'pass';
    } catch {
      try {
        await this.dropped.consume(connectionId, 1);
        return 'drop';
      } catch {
        return 'close';
      }
    }
  }

  forget(connectionId: string): void {
    void this.perConnection.delete(connectionId);
    void this.dropped.delete(connectionId);
  }
}
