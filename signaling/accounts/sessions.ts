// Server-side sessions. The cookie carries a random 256-bit id; the table stores only
// its SHA-256, so a copy of the database does not hand out live sessions.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import type { User, Users } from './users';

export function sha256Base64Url(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly users: Users,
    private readonly ttlMs: number,
  ) {}

  create(userId: number): { id: string; expiresAt: number } {
    const id = randomBytes(32).toString('base64url');
    const now = Date.now();
    const expiresAt = now + this.ttlMs;
    this.db
      .prepare(
        'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(sha256Base64Url(id), userId, now, expiresAt);
    return { id, expiresAt };
  }

  /** The session's user, or null when unknown, expired, or the account is banned. */
  userFor(id: string): User | null {
    if (id.length > 100) return null;
    const row = this.db
      .prepare('SELECT user_id, expires_at FROM sessions WHERE id_hash = ?')
      .get(sha256Base64Url(id)) as { user_id: number; expires_at: number } | undefined;
    if (!row) return null;
    if (row.expires_at <= Date.now()) {
      this.revoke(id);
      return null;
    }
    const user = this.users.byId(row.user_id);
    return user && user.bannedAt === null ? user : null;
  }

  revoke(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256Base64Url(id));
  }

  revokeAllFor(userId: number): number {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  purgeExpired(): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(Date.now()).changes;
  }
}
