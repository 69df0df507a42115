// The users table, typed once. Usernames are unique regardless of case, so "Alice" and
// "alice" cannot both exist and impersonate each other.
import type { Db } from '../db/database';

export type Role = 'user' | 'admin';

export interface User {
  id: number;
  username: string;
  passwordHash: string;
  email: string | null;
  role: Role;
  bannedAt: number | null;
  createdAt: number;
}

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  email: string | null;
  role: Role;
  banned_at: number | null;
  created_at: number;
}

export class UsernameTakenError extends Error {
  override name = 'UsernameTakenError';
}

function toUser(row: UserRow | undefined): User | null {
  if (!row) return null;
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    email: row.email,
    role: row.role,
    bannedAt: row.banned_at,
    createdAt: row.created_at,
  };
}

export class Users {
  constructor(private readonly db: Db) {}

  create(input: { username: string; passwordHash: string; email?: string; role?: Role }): User {
    try {
      const result = this.db
        .prepare(
          'INSERT INTO users (username, password_hash, email, role, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(
          input.username,
          input.passwordHash,
          input.email ?? null,
          input.role ?? 'user',
          Date.now(),
        );
      return this.byId(Number(result.lastInsertRowid))!;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new UsernameTakenError(`the username "${input.username}" is taken`);
      }
      throw error;
    }
  }

  byId(id: number): User | null {
    return toUser(this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow);
  }

  byUsername(username: string): User | null {
    return toUser(
      this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow,
    );
  }

  setPasswordHash(id: number, passwordHash: string): void {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
  }

  setRole(id: number, role: Role): void {
    this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, id);
  }

  setBanned(id: number, banned: boolean): void {
    this.db
      .prepare('UPDATE users SET banned_at = ? WHERE id = ?')
      .run(banned ? Date.now() : null, id);
  }

  /** Deletes the account; its sessions, keys, rooms and memberships go with it (cascade). */
  delete(id: number): void {
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  countAdmins(): number {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'").get() as {
        n: number;
      }
    ).n;
  }

  list(limit = 500, offset = 0): User[] {
    const rows = this.db
      .prepare('SELECT * FROM users ORDER BY id LIMIT ? OFFSET ?')
      .all(limit, offset) as UserRow[];
    return rows.map((row) => toUser(row)!);
  }
}
