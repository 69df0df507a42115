// IP bans set by admins. Checked on every API request and on WebSocket admission, so the
// lookup is an in-memory set mirrored from the table.
import type { Db } from '../db/database';

export class IpBans {
  private readonly banned = new Set<string>();

  constructor(private readonly db: Db) {
    for (const row of db.prepare('SELECT ip FROM ip_bans').all() as Array<{ ip: string }>) {
      this.banned.add(row.ip);
    }
  }

  has(ip: string): boolean {
    return this.banned.has(normalizeIp(ip));
  }

  add(ip: string): void {
    const normalized = normalizeIp(ip);
    this.db
      .prepare('INSERT OR IGNORE INTO ip_bans (ip, created_at) VALUES (?, ?)')
      .run(normalized, Date.now());
    this.banned.add(normalized);
  }

  remove(ip: string): boolean {
    const normalized = normalizeIp(ip);
    this.banned.delete(normalized);
    return this.db.prepare('DELETE FROM ip_bans WHERE ip = ?').run(normalized).changes > 0;
  }

  list(): Array<{ ip: string; createdAt: number }> {
    return (
      this.db.prepare('SELECT ip, created_at FROM ip_bans ORDER BY created_at').all() as Array<{
        ip: string;
        created_at: number;
      }>
    ).map((row) => ({ ip: row.ip, createdAt: row.created_at }));
  }
}

/** "::ffff:1.2.3.4" (IPv4 on a dual-stack socket) and "1.2.3.4" are the same client. */
export function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}
