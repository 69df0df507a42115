// Password hashing policy on top of the Argon2 pool: current parameters, the dummy hash
// that makes "no such user" cost as much as "wrong password", and the upgrade check.
import { randomBytes } from 'node:crypto';
import type { Argon2Params, Argon2Pool } from './argon2-pool';

/** OWASP's Argon2id minimum: 19 MiB, t=2, p=1. */
export const PRODUCTION_ARGON2: Argon2Params = {
  memoryKiB: 19 * 1024,
  iterations: 2,
  parallelism: 1,
};

const ENCODED_PARAMS = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;

export function paramsOf(encodedHash: string): Argon2Params | null {
  const match = ENCODED_PARAMS.exec(encodedHash);
  if (!match) return null;
  return {
    memoryKiB: Number(match[1]),
    iterations: Number(match[2]),
    parallelism: Number(match[3]),
  };
}

export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly pool: Argon2Pool,
    readonly params: Argon2Params = PRODUCTION_ARGON2,
  ) {}

  hash(password: string): Promise<string> {
    return this.pool.hash(password, this.params);
  }

  async verify(password: string, encodedHash: string): Promise<boolean> {
    try {
      return await this.pool.verify(password, encodedHash);
    } catch {
      return false;
    }
  }

  /**
   * Burns the same Argon2 work as a real check, for a username that does not exist, so
   * response time does not reveal which accounts exist. Always false.
   */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(password, await this.prepareDummy());
    return false;
  }

  /** Computes the dummy hash ahead of time, so even the first unknown login is not slower. */
  prepareDummy(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(16).toString('base64url'));
    return this.dummyHash;
  }

  /** True when a stored hash is weaker than today's parameters (rehash after login). */
  needsUpgrade(encodedHash: string): boolean {
    const stored = paramsOf(encodedHash);
    if (!stored) return true;
    return (
      stored.memoryKiB < this.params.memoryKiB ||
      stored.iterations < this.params.iterations ||
      stored.parallelism !== this.params.parallelism
    );
  }
}
