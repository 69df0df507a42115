// The security log's cryptography, kept free of storage so the server and the
// `verify-log` command share it. Each entry is encrypted with AES-256-GCM and
// authenticated by an HMAC chain: entry n's MAC covers its sequence number, time,
// ciphertext and the MAC of entry n-1, under a key that evolves after every entry.
// Editing, deleting or reordering an entry therefore breaks the chain at that entry;
// cutting entries off the end is caught by the separately kept anchor (count + last MAC).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { SecurityDetails, SecurityEventType } from './events';

export interface StoredEntry {
  seq: number;
  ts: number;
  nonce: Buffer;
  ciphertext: Buffer;
  mac: Buffer;
}

export interface Anchor {
  count: number;
  lastMac: Buffer;
}

export interface LogKeys {
  encryption: Buffer;
  chainStart: Buffer;
  anchor: Buffer;
}

export interface EntryPlaintext {
  type: SecurityEventType;
  details: SecurityDetails;
}

const GENESIS_MAC = Buffer.alloc(32);
const TAG_BYTES = 16;

export function deriveLogKeys(logKey: Buffer): LogKeys {
  const derive = (label: string) =>
    Buffer.from(hkdfSync('sha256', logKey, Buffer.alloc(0), `security-log ${label} v1`, 32));
  return {
    encryption: derive('encryption'),
    chainStart: derive('chain'),
    anchor: derive('anchor'),
  };
}

/** The next chain key; the old one is no longer needed for writing. */
export function evolveChainKey(key: Buffer): Buffer {
  return createHmac('sha256', key).update('evolve').digest();
}

function header(seq: number, ts: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeBigUInt64BE(BigInt(seq), 0);
  out.writeBigUInt64BE(BigInt(ts), 8);
  return out;
}

export function entryMac(
  chainKey: Buffer,
  entry: Omit<StoredEntry, 'mac'>,
  previousMac: Buffer,
): Buffer {
  return createHmac('sha256', chainKey)
    .update(header(entry.seq, entry.ts))
    .update(entry.nonce)
    .update(entry.ciphertext)
    .update(previousMac)
    .digest();
}

export function sealEntry(
  keys: LogKeys,
  chainKey: Buffer,
  previousMac: Buffer,
  seq: number,
  ts: number,
  plaintext: EntryPlaintext,
): StoredEntry {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, nonce);
  cipher.setAAD(header(seq, ts));
  const body = Buffer.concat([
    cipher.update(JSON.stringify(plaintext), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const unsealed = { seq, ts, nonce, ciphertext: body };
  return { ...unsealed, mac: entryMac(chainKey, unsealed, previousMac) };
}

/** Decrypts one entry; throws when the ciphertext or its header was altered. */
export function openEntry(keys: LogKeys, entry: StoredEntry): EntryPlaintext {
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, entry.nonce);
  decipher.setAAD(header(entry.seq, entry.ts));
  decipher.setAuthTag(entry.ciphertext.subarray(entry.ciphertext.length - TAG_BYTES));
  const plain = Buffer.concat([
    decipher.update(entry.ciphertext.subarray(0, entry.ciphertext.length - TAG_BYTES)),
    decipher.final(),
  ]);
  return JSON.parse(plain.toString('utf8')) as EntryPlaintext;
}

export function anchorMac(keys: LogKeys, anchor: Anchor): Buffer {
  return createHmac('sha256', keys.anchor)
    .update(header(anchor.count, 0))
    .update(anchor.lastMac)
    .digest();
}

export type ChainStatus =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBadSeq: number; reason: string };

/**
 * Walks the whole chain. Reports the FIRST bad entry: the place a person should start
 * looking, since everything after it can no longer be trusted either.
 */
export function verifyChain(
  keys: LogKeys,
  entries: Iterable<StoredEntry>,
  anchor: Anchor | null,
): ChainStatus {
  let chainKey: Buffer = keys.chainStart;
  let previousMac: Buffer = GENESIS_MAC;
  let expectedSeq = 1;
  for (const entry of entries) {
    const bad = (reason: string): ChainStatus => ({
      ok: false,
      entries: expectedSeq - 1,
      firstBadSeq: expectedSeq,
      reason,
    });
    if (entry.seq !== expectedSeq) {
      return bad(
        entry.seq > expectedSeq
          ? `entry ${expectedSeq} is missing (deleted): the next stored entry is ${entry.seq}`
          : `entry ${entry.seq} appears out of order where entry ${expectedSeq} belongs`,
      );
    }
    if (!entry.mac.equals(entryMac(chainKey, entry, previousMac))) {
      return bad(
        `entry ${expectedSeq} was altered, replaced or moved: its chain MAC does not match`,
      );
    }
    try {
      openEntry(keys, entry);
    } catch {
      return bad(`entry ${expectedSeq} does not decrypt`);
    }
    previousMac = entry.mac;
    chainKey = evolveChainKey(chainKey);
    expectedSeq += 1;
  }
  const stored = expectedSeq - 1;
  if (!anchor) {
    return stored === 0
      ? { ok: true, entries: 0 }
      : { ok: false, entries: stored, firstBadSeq: 1, reason: 'the anchor file is missing' };
  }
  if (anchor.count > stored) {
    return {
      ok: false,
      entries: stored,
      firstBadSeq: stored + 1,
      reason: `truncated: the anchor records ${anchor.count} entries but only ${stored} are stored`,
    };
  }
  if (anchor.count < stored) {
    return {
      ok: false,
      entries: anchor.count,
      firstBadSeq: anchor.count + 1,
      reason: `entries after ${anchor.count} are not covered by the anchor`,
    };
  }
  if (!anchor.lastMac.equals(previousMac)) {
    return {
      ok: false,
      entries: stored,
      firstBadSeq: stored,
      reason: `the last entry (${stored}) does not match the anchor`,
    };
  }
  return { ok: true, entries: stored };
}
