// The wire shapes of files: the offer inside a signed chat envelope, and the requests.
import { describe, expect, it } from 'vitest';
import { ChatEnvelope, FileOffer, PeerMessage } from '../../../../signaling/protocol';

const offer = {
  id: 'AAECAwQFBgcICQoLDA0ODw',
  name: 'holiday photo.jpg',
  size: 2 * 1024 ** 3,
  type: 'image/jpeg',
  sha256: 'ab'.repeat(32),
  chunkSize: 16384,
  key: 'A'.repeat(43),
  header: 'B'.repeat(75),
  expiresAt: 1_800_000_000_000,
};

describe('file offer schema', () => {
  it('accepts a 2 GiB offer and rides in a chat envelope', () => {
    expect(FileOffer.parse(offer)).toEqual(offer);
    const envelope = {
      v: 1,
      kind: 'chat',
      room: 'r'.repeat(22),
      author: { alg: 'ed25519', key: 'C'.repeat(43) },
      device: 'a'.repeat(64),
      counter: 1,
      lamport: 1,
      epoch: 0,
      sentAt: 1,
      username: 'alice',
      displayName: 'Alice',
      text: offer.name,
      file: offer,
    };
    const parsed = ChatEnvelope.safeParse(envelope);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('refuses offers that are malformed or could not be transferred', () => {
    const bad = [
      { ...offer, key: 'A'.repeat(42) },
      { ...offer, header: 'B'.repeat(74) },
      { ...offer, chunkSize: 65536 },
      { ...offer, size: -1 },
      { ...offer, size: 2 ** 47 },
      { ...offer, sha256: 'AB'.repeat(32) },
      { ...offer, name: '' },
      { ...offer, name: 'x'.repeat(256) },
      { ...offer, id: 'short' },
      { ...offer, extra: true },
    ];
    for (const candidate of bad) expect(FileOffer.safeParse(candidate).success).toBe(false);
  });

  it('bounds requests: non-empty ranges, at most 64 of them', () => {
    const request = { type: 'file-request', file: offer.id, req: 1, ranges: [{ from: 0, to: 5 }] };
    expect(PeerMessage.safeParse(request).success).toBe(true);
    const empty = { ...request, ranges: [{ from: 5, to: 5 }] };
    expect(PeerMessage.safeParse(empty).success).toBe(false);
    const many = {
      ...request,
      ranges: Array.from({ length: 65 }, (_, i) => ({ from: i, to: i + 1 })),
    };
    expect(PeerMessage.safeParse(many).success).toBe(false);
    expect(PeerMessage.safeParse({ ...request, req: 0 }).success).toBe(false);
    for (const type of ['file-missing', 'file-cancel']) {
      expect(PeerMessage.safeParse({ type, file: offer.id, req: 3 }).success).toBe(true);
    }
  });
});
