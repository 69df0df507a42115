// Rooms, their members and their bans, typed once. A room knows only the verifier
// SHA-256(K_admit), never K_admit or the link secret.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database';

export type RoomCipher = 'aes-256-gcm' | 'xchacha20-poly1305' | 'aes-256-cbc-hmac-sha512';

export interface Room {
  id: string;
  ownerId: number;
  ownerName: string;
  verifier: string;
  passwordHash: string | null;
  capacity: number;
  cipher: RoomCipher;
  fileTtlSeconds: number;
  /** null: no limit beyond the members' storage. */
  maxFileBytes: number | null;
  createdAt: number;
  closedAt: number | null;
}

interface RoomRow {
  id: string;
  owner_id: number;
  owner_name: string;
  verifier: string;
  password_hash: string | null;
  capacity: number;
  cipher: RoomCipher;
  file_ttl_seconds: number;
  max_file_bytes: number | null;
  created_at: number;
  closed_at: number | null;
}

export type RoomBanKind = 'kicked' | 'banned';

const SELECT_ROOM = `SELECT rooms.*, users.username AS owner_name FROM rooms
  JOIN users ON users.id = rooms.owner_id`;

function toRoom(row: RoomRow): Room {
  return {
    id: row.id,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    verifier: row.verifier,
    passwordHash: row.password_hash,
    capacity: row.capacity,
    cipher: row.cipher,
    fileTtlSeconds: row.file_ttl_seconds,
    maxFileBytes: row.max_file_bytes,
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

export class Rooms {
  constructor(private readonly db: Db) {}

  create(input: {
    ownerId: number;
    verifier: string;
    passwordHash: string | null;
    capacity: number;
    cipher: RoomCipher;
    fileTtlSeconds: number;
    maxFileBytes?: number | null;
  }): Room {
    const id = randomBytes(16).toString('base64url');
    const now = Date.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO rooms (id, owner_id, verifier, password_hash, capacity, cipher, file_ttl_seconds, max_file_bytes, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.ownerId,
          input.verifier,
          input.passwordHash,
          input.capacity,
          input.cipher,
          input.fileTtlSeconds,
          input.maxFileBytes ?? null,
          now,
        );
      this.addMember(id, input.ownerId);
    })();
    return this.byId(id)!;
  }

  byId(id: string): Room | null {
    const row = this.db.prepare(`${SELECT_ROOM} WHERE rooms.id = ?`).get(id) as RoomRow | undefined;
    return row ? toRoom(row) : null;
  }

  idsOwnedBy(userId: number): string[] {
    return (
      this.db.prepare('SELECT id FROM rooms WHERE owner_id = ?').all(userId) as Array<{
        id: string;
      }>
    ).map((row) => row.id);
  }

  list(limit = 500, offset = 0): Array<Room & { members: number }> {
    const rows = this.db
      .prepare(
        `SELECT rooms.*, users.username AS owner_name,
           (SELECT COUNT(*) FROM room_members m WHERE m.room_id = rooms.id) AS members
         FROM rooms JOIN users ON users.id = rooms.owner_id
         ORDER BY rooms.created_at DESC LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as Array<RoomRow & { members: number }>;
    return rows.map((row) => ({ ...toRoom(row), members: row.members }));
  }

  close(id: string): boolean {
    return (
      this.db
        .prepare('UPDATE rooms SET closed_at = ? WHERE id = ? AND closed_at IS NULL')
        .run(Date.now(), id).changes > 0
    );
  }

  isMember(roomId: string, userId: number): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM room_members WHERE room_id = ? AND user_id = ?')
        .get(roomId, userId) !== undefined
    );
  }

  memberCount(roomId: string): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM room_members WHERE room_id = ?').get(roomId) as {
        n: number;
      }
    ).n;
  }

  addMember(roomId: string, userId: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, ?)')
      .run(roomId, userId, Date.now());
  }

  removeMember(roomId: string, userId: number): void {
    this.db
      .prepare('DELETE FROM room_members WHERE room_id = ? AND user_id = ?')
      .run(roomId, userId);
  }

  banOf(roomId: string, userId: number): RoomBanKind | null {
    const row = this.db
      .prepare('SELECT kind FROM room_bans WHERE room_id = ? AND user_id = ?')
      .get(roomId, userId) as { kind: RoomBanKind } | undefined;
    return row?.kind ?? null;
  }

  /** A ban outranks a kick: kicking a banned member never softens the ban. */
  setBan(roomId: string, userId: number, kind: RoomBanKind): void {
    this.db
      .prepare(
        `INSERT INTO room_bans (room_id, user_id, kind, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (room_id, user_id) DO UPDATE SET kind = CASE
           WHEN room_bans.kind = 'banned' THEN 'banned' ELSE excluded.kind END`,
      )
      .run(roomId, userId, kind, Date.now());
  }

  clearBan(roomId: string, userId: number): boolean {
    return (
      this.db.prepare('DELETE FROM room_bans WHERE room_id = ? AND user_id = ?').run(roomId, userId)
        .changes > 0
    );
  }
}
