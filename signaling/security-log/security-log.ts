// The server's tamper-evident security log. `record` is synchronous (one SQLite insert
// and one small anchor-file write) so an event is on disk before the response leaves.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'better-sqlite3';
import type { Db } from '../db/database';
import {
  anchorMac,
  deriveLogKeys,
  evolveChainKey,
  openEntry,
  sealEntry,
  verifyChain,
} from './chain';
import type { Anchor, ChainStatus, LogKeys, StoredEntry } from './chain';
import { sanitizeDetails } from './events';
import type { SecurityDetails, SecurityEvent, SecurityEventType } from './events';

export type { SecurityDetails, SecurityEvent, SecurityEventType, ChainStatus };

const LOG_KEY_FILE = 'security-log.key';
const ANCHOR_FILE = 'security-log.anchor';

export class AnchorError extends Error {
  override name = 'AnchorError';
}

/**
 * The log key is its own random file in DATA_DIR (not derived from SESSION_SECRET), so
 * rotating the session secret never makes the old log unreadable.
 */
export function loadOrCreateLogKey(dataDir: string): Buffer {
  const file = path.join(dataDir, LOG_KEY_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('base64url') + '\n', {
        mode: 0o600,
        flag: 'wx',
      });
    } catch {
      // Another process created it first: use theirs.
    }
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
}

export function readAnchor(dataDir: string, keys: LogKeys): Anchor | null {
  const file = path.join(dataDir, ANCHOR_FILE);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    count: number;
    lastMac: string;
    mac: string;
  };
  const anchor = { count: parsed.count, lastMac: Buffer.from(parsed.lastMac, 'base64') };
  if (!anchorMac(keys, anchor).equals(Buffer.from(parsed.mac, 'base64'))) {
    throw new AnchorError('the security log anchor file was altered');
  }
  return anchor;
}

function writeAnchor(dataDir: string, keys: LogKeys, anchor: Anchor): void {
  const file = path.join(dataDir, ANCHOR_FILE);
  const body = JSON.stringify({
    count: anchor.count,
    lastMac: anchor.lastMac.toString('base64'),
    mac: anchorMac(keys, anchor).toString('base64'),
  });
  // Write then rename, so a crash never leaves half an anchor.
  writeFileSync(file + '.tmp', body, { mode: 0o600 });
  renameSync(file + '.tmp', file);
}

interface Row {
  seq: number;
  ts: number;
  nonce: Buffer;
  ciphertext: Buffer;
  mac: Buffer;
}

export class SecurityLog {
  private readonly keys: LogKeys;
  private chainKey: Buffer;
  private lastMac: Buffer = Buffer.alloc(32);
  private count = 0;
  private readonly insert;
  private readonly selectLast;
  private readonly append: Transaction<(type: SecurityEventType, details: SecurityDetails) => void>;

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    logKey: Buffer = loadOrCreateLogKey(dataDir),
  ) {
    this.keys = deriveLogKeys(logKey);
    this.chainKey = this.keys.chainStart;
    this.insert = db.prepare(
      'INSERT INTO security_log (seq, ts, nonce, ciphertext, mac) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectLast = db.prepare('SELECT seq, mac FROM security_log ORDER BY seq DESC LIMIT 1');
    this.append = db.transaction((type: SecurityEventType, details: SecurityDetails) =>
      this.appendNow(type, details),
    );
    this.startFromAnchor();
    this.catchUp();
  }

  record(type: SecurityEventType, details: SecurityDetails = {}): void {
    // IMMEDIATE: another process (the admin CLI) may append too; take the write lock
    // first, then continue from whatever entry is really last.
    this.append.immediate(type, sanitizeDetails(details));
  }

  private appendNow(type: SecurityEventType, details: SecurityDetails): void {
    this.catchUp();
    const seq = this.count + 1;
    const entry = sealEntry(this.keys, this.chainKey, this.lastMac, seq, Date.now(), {
      type,
      details,
    });
    this.insert.run(entry.seq, entry.ts, entry.nonce, entry.ciphertext, entry.mac);
    writeAnchor(this.dataDir, this.keys, { count: seq, lastMac: entry.mac });
    this.count = seq;
    this.lastMac = entry.mac;
    this.chainKey = evolveChainKey(this.chainKey);
  }

  /**
   * Moves forward to the last stored entry when another process (the admin CLI) appended.
   * Never backwards: if entries vanished, new ones keep their numbers, so the gap stays
   * visible to verify() instead of being papered over by a fresh anchor.
   */
  private catchUp(): void {
    const last = this.selectLast.get() as Pick<Row, 'seq' | 'mac'> | undefined;
    if (!last || last.seq <= this.count) return;
    for (let i = this.count; i < last.seq; i++) this.chainKey = evolveChainKey(this.chainKey);
    this.count = last.seq;
    this.lastMac = last.mac;
  }

  /** Starts from the anchor, so a log truncated while the server was down stays detectable. */
  private startFromAnchor(): void {
    let anchor: Anchor | null = null;
    try {
      anchor = readAnchor(this.dataDir, this.keys);
    } catch {
      // An altered anchor: verify() reports it; carry on from the stored entries.
    }
    if (!anchor) return;
    for (let i = 0; i < anchor.count; i++) this.chainKey = evolveChainKey(this.chainKey);
    this.count = anchor.count;
    this.lastMac = anchor.lastMac;
  }

  verify(): ChainStatus {
    return verifySecurityLog(this.db, this.dataDir, this.keys);
  }

  /** The newest entries first, decrypted; entries that fail to decrypt are skipped. */
  recent(limit = 200, beforeSeq?: number): SecurityEvent[] {
    const rows = this.db
      .prepare(
        'SELECT seq, ts, nonce, ciphertext, mac FROM security_log WHERE seq < ? ORDER BY seq DESC LIMIT ?',
      )
      .all(beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as Row[];
    const events: SecurityEvent[] = [];
    for (const row of rows) {
      try {
        const { type, details } = openEntry(this.keys, row);
        events.push({ seq: row.seq, ts: row.ts, type, details });
      } catch {
        // An undecryptable entry shows up in verify(); listing goes on without it.
      }
    }
    return events;
  }
}

export function verifySecurityLog(
  db: Db,
  dataDir: string,
  keys: LogKeys = deriveLogKeys(loadOrCreateLogKey(dataDir)),
): ChainStatus {
  let anchor: Anchor | null;
  try {
    anchor = readAnchor(dataDir, keys);
  } catch (error) {
    return { ok: false, entries: 0, firstBadSeq: 0, reason: (error as Error).message };
  }
  const rows = db
    .prepare('SELECT seq, ts, nonce, ciphertext, mac FROM security_log ORDER BY seq')
    .iterate() as Iterable<StoredEntry>;
  return verifyChain(keys, rows, anchor);
}
