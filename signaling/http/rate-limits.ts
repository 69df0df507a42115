// Brute-force limits (rate-limiter-flexible, memory store). Callers consume BEFORE any
// Argon2 work, so a flood of guesses costs the server almost nothing.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitRule, RateLimits } from '../config';
import type { SecurityLog } from '../security-log/security-log';
import { HttpError } from './errors';

export type LimitName = keyof RateLimits;

export class RateLimited extends HttpError {
  override name = 'RateLimited';

  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}

export class Limiters {
  private readonly limiters: Record<LimitName, RateLimiterMemory>;

  constructor(
    rules: RateLimits,
    private readonly securityLog: SecurityLog,
  ) {
    const make = (rule: RateLimitRule) =>
      new RateLimiterMemory({ points: rule.points, duration: rule.durationSeconds });
    this.limiters = {
      loginPerUsernameAndIp: make(rules.loginPerUsernameAndIp),
      loginPerIp: make(rules.loginPerIp),
      registerPerIp: make(rules.registerPerIp),
      admitPerUserAndRoom: make(rules.admitPerUserAndRoom),
      passwordResetPerIp: make(rules.passwordResetPerIp),
      createRoomPerUser: make(rules.createRoomPerUser),
    };
  }

  /** Takes one point from each named bucket; throws RateLimited when any is empty. */
  async consume(...buckets: Array<[LimitName, string]>): Promise<void> {
    let retryAfterMs = 0;
    for (const [name, key] of buckets) {
      try {
        await this.limiters[name].consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        retryAfterMs = Math.max(retryAfterMs, rejection.msBeforeNext);
        // Record the first refusal of each window, not every one of a flood.
        if (rejection.consumedPoints === this.limiters[name].points + 1) {
          this.securityLog.record(
            name.startsWith('admit') ? 'room.rate_limited' : 'auth.rate_limited',
            {
              limit: name,
              key,
            },
          );
        }
      }
    }
    if (retryAfterMs > 0) throw new RateLimited(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }

  /** A successful login clears that username's failures from this address. */
  async reset(name: LimitName, key: string): Promise<void> {
    await this.limiters[name].delete(key);
  }
}
