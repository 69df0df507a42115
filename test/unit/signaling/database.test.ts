// The schema: migrations run once, reopening is harmless, and a database from a newer
// server is refused rather than damaged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../../signaling/db/database';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('creates every table at the current version and keeps data across reopening', () => {
  const db = openDatabase(dir);
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>
  ).map((t) => t.name);
  expect(tables).toEqual(
    expect.arrayContaining([
      'users',
      'sessions',
      'password_resets',
      'device_keys',
      'rooms',
      'room_members',
      'room_bans',
      'ip_bans',
      'security_log',
    ]),
  );
  db.prepare(
    "INSERT INTO users (username, password_hash, created_at) VALUES ('xena', 'h', 1)",
  ).run();
  db.close();
  const again = openDatabase(dir);
  expect(again.prepare('SELECT username FROM users').all()).toEqual([{ username: 'xena' }]);
  again.close();
});

it('refuses a database written by a newer server', () => {
  const db = openDatabase(dir);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  expect(() => openDatabase(dir)).toThrow(/newer than this server/);
});
