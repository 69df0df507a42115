// Password-reset tokens: 256 random bits, stored only as SHA-256, single use, short-lived.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import { sha256Base64Url } from './sessions';

export class PasswordResets {
  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
  ) {}

  issue(userId: number): { token: string; expiresAt: number } {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const expiresAt = now + this.ttlMs;
    this.db
      .prepare(
        'INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(sha256Base64Url(token), userId, now, expiresAt);
    return { token, expiresAt };
  }

  /**
   * Marks the token used and returns its user id, or null when unknown, used or expired.
   * The UPDATE's WHERE clause makes "use" atomic: two racing confirms cannot both win.
   */
  consume(token: string): number | null {
    const hash = sha256Base64Url(token);
    const now = Date.now();
    const row = this.db
      .prepare(
        'UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id',
      )
      .get(now, hash, now) as { user_id: number } | undefined;
    return row ? row.user_id : null;
  }

  purgeExpired(): void {
    this.db.prepare('DELETE FROM password_resets WHERE expires_at <= ?').run(Date.now());
  }
}
