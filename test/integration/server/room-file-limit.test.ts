// The room's maximum file size: chosen by the host at creation, kept with the room, handed
// to every member on admit, and carried over when an older database is upgraded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../../signaling/db/database';
import { api, roomKey } from '../../helpers/api';
import type { Api } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

const MB = 1_000_000;

describe('room maximum file size over HTTP', () => {
  let server: TestServer;
  let client: Api;
  let host: string;
  let guest: string;

  beforeAll(async () => {
    server = await startTestServer();
    client = api(server.url);
    host = await client.signUp('limit-host');
    guest = await client.signUp('limit-guest');
  });
  afterAll(() => server.close());

  it('a limit set by the host is stored and given to every member on admit', async () => {
    const key = roomKey();
    const id = await client.createRoom(host, { verifier: key.verifier, maxFileBytes: 25 * MB });
    const row = server.services.db.prepare('SELECT max_file_bytes FROM rooms WHERE id = ?').get(id);
    expect(row).toEqual({ max_file_bytes: 25 * MB });
    const asGuest = await client.admitFull(guest, id, { admit: key.admit });
    const asHost = await client.admitFull(host, id, { admit: key.admit });
    expect(asGuest.room.maxFileBytes).toBe(25 * MB);
    expect(asHost.room.maxFileBytes).toBe(25 * MB);
  });

  it('no limit by default: nothing stored, no maxFileBytes in the room info', async () => {
    const key = roomKey();
    const id = await client.createRoom(host, { verifier: key.verifier });
    const row = server.services.db.prepare('SELECT max_file_bytes FROM rooms WHERE id = ?').get(id);
    expect(row).toEqual({ max_file_bytes: null });
    const admitted = await client.admitFull(guest, id, { admit: key.admit });
    expect(admitted.room).not.toHaveProperty('maxFileBytes');
  });

  it('refuses a limit that is not a positive whole number of bytes (400)', async () => {
    for (const maxFileBytes of [0, -1, 1.5, '25M', 2 ** 60]) {
      const response = await client.request('POST', '/api/rooms', {
        cookie: host,
        json: { verifier: roomKey().verifier, maxFileBytes },
      });
      expect(response.status).toBe(400);
    }
  });
});

describe('room maximum file size in an upgraded database', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'db-limit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a version-1 database gains the column; its rooms keep working with no limit', () => {
    // A version-1 rooms table, as the first release wrote it.
    const old = new Database(path.join(dir, 'server.sqlite'));
    old.exec(`
      CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL, email TEXT, role TEXT NOT NULL DEFAULT 'user',
        banned_at INTEGER, created_at INTEGER NOT NULL);
      CREATE TABLE rooms (id TEXT PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES users(id),
        verifier TEXT NOT NULL, password_hash TEXT, capacity INTEGER NOT NULL,
        cipher TEXT NOT NULL, file_ttl_seconds INTEGER NOT NULL, created_at INTEGER NOT NULL,
        closed_at INTEGER);
      INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'old', 'h', 1);
      INSERT INTO rooms (id, owner_id, verifier, capacity, cipher, file_ttl_seconds, created_at)
        VALUES ('old-room', 1, 'v', 16, 'aes-256-gcm', 60, 1);
    `);
    old.pragma('user_version = 1');
    old.close();

    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT id, max_file_bytes FROM rooms').all()).toEqual([
      { id: 'old-room', max_file_bytes: null },
    ]);
    db.close();
  });
});
