// The one module that opens the server's SQLite database. Migrations are cumulative:
// each `if (version < n)` block moves a database from version n-1 to n, so an old file
// from any release upgrades step by step, and a fresh one runs every block.
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const SCHEMA_VERSION = 2;

export function openDatabase(dataDir: string, fileName = 'server.sqlite'): Db {
  const db = new Database(path.join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `database schema ${version} is newer than this server (${SCHEMA_VERSION}); upgrade the server`,
    );
  }
  db.transaction(() => {
    if (version < 1) {
      db.exec(`
        CREATE TABLE users (
          id INTEGER PRIMARY KEY,
          username TEXT NOT NULL UNIQUE COLLATE NOCASE,
          password_hash TEXT NOT NULL,
          email TEXT,
          role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
          banned_at INTEGER,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE sessions (
          id_hash TEXT PRIMARY KEY,
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        );
        CREATE INDEX sessions_by_user ON sessions(user_id);
        CREATE TABLE password_resets (
          token_hash TEXT PRIMARY KEY,
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          used_at INTEGER
        );
        CREATE TABLE device_keys (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          device_id TEXT NOT NULL,
          algorithm TEXT NOT NULL,
          public_key TEXT NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (user_id, device_id)
        );
        CREATE TABLE rooms (
          id TEXT PRIMARY KEY,
          owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          verifier TEXT NOT NULL,
          password_hash TEXT,
          capacity INTEGER NOT NULL,
          cipher TEXT NOT NULL,
          file_ttl_seconds INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          closed_at INTEGER
        );
        CREATE TABLE room_members (
          room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          joined_at INTEGER NOT NULL,
          PRIMARY KEY (room_id, user_id)
        );
        CREATE TABLE room_bans (
          room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('kicked', 'banned')),
          created_at INTEGER NOT NULL,
          PRIMARY KEY (room_id, user_id)
        );
        CREATE TABLE ip_bans (
          ip TEXT PRIMARY KEY,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE security_log (
          seq INTEGER PRIMARY KEY,
          ts INTEGER NOT NULL,
          nonce BLOB NOT NULL,
          ciphertext BLOB NOT NULL,
          mac BLOB NOT NULL
        );
      `);
    }
    if (version < 2) {
      // NULL: the host set no maximum file size for the room.
      db.exec('ALTER TABLE rooms ADD COLUMN max_file_bytes INTEGER');
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
