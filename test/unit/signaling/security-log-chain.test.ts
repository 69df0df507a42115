// The log's chain in isolation: what verifyChain reports for each kind of damage.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveLogKeys,
  evolveChainKey,
  openEntry,
  sealEntry,
  verifyChain,
} from '../../../signaling/security-log/chain';
import type { StoredEntry } from '../../../signaling/security-log/chain';
import { encodeUnsafeText } from '../../../signaling/security-log/events';

const keys = deriveLogKeys(randomBytes(32));

function chainOf(n: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let key: Buffer = keys.chainStart;
  let mac: Buffer = Buffer.alloc(32);
  for (let seq = 1; seq <= n; seq++) {
    const entry = sealEntry(keys, key, mac, seq, 1000 + seq, {
      type: 'auth.login',
      details: { userId: seq },
    });
    entries.push(entry);
    mac = entry.mac;
    key = evolveChainKey(key);
  }
  return entries;
}
const anchorOf = (entries: StoredEntry[]) => ({
  count: entries.length,
  lastMac: entries.at(-1)!.mac,
});

describe('verifyChain', () => {
  it('accepts an intact chain and decrypts every entry', () => {
    const entries = chainOf(5);
    expect(verifyChain(keys, entries, anchorOf(entries))).toEqual({ ok: true, entries: 5 });
    expect(openEntry(keys, entries[2]!)).toEqual({ type: 'auth.login', details: { userId: 3 } });
  });

  it('reports an entry sealed with the wrong key as altered', () => {
    const entries = chainOf(4);
    const other = deriveLogKeys(randomBytes(32));
    entries[1] = sealEntry(other, other.chainStart, entries[0]!.mac, 2, 1002, {
      type: 'auth.login',
      details: {},
    });
    expect(verifyChain(keys, entries, anchorOf(entries))).toMatchObject({
      ok: false,
      firstBadSeq: 2,
    });
  });

  it('reports a missing anchor for a non-empty log, and accepts an empty log', () => {
    expect(verifyChain(keys, chainOf(2), null)).toMatchObject({ ok: false, reason: /anchor/ });
    expect(verifyChain(keys, [], null)).toEqual({ ok: true, entries: 0 });
  });

  it('reports entries beyond the anchor and a last entry that does not match it', () => {
    const entries = chainOf(3);
    expect(verifyChain(keys, entries, { count: 2, lastMac: entries[1]!.mac })).toMatchObject({
      ok: false,
      firstBadSeq: 3,
    });
    expect(verifyChain(keys, entries, { count: 3, lastMac: Buffer.alloc(32) })).toMatchObject({
      ok: false,
      firstBadSeq: 3,
    });
  });
});

it('encodes control and bidi characters and bounds the length', () => {
  expect(encodeUnsafeText('a\nb\u001b\u202ec')).toBe('a\\u{a}b\\u{1b}\\u{202e}c');
  expect(encodeUnsafeText('x'.repeat(1000)).length).toBeLessThan(300);
  expect(encodeUnsafeText('plain_name.ok')).toBe('plain_name.ok');
});
