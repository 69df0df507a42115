// Two PeerLinks joined by an in-memory data channel pair, with the real crypto api: the
// handshake binds the DTLS fingerprints both sides see; junk and oversized frames are
// dropped and counted; a peer with the wrong room key or a swapped fingerprint is refused.
import { describe, expect, it, vi } from 'vitest';
import { P2P_MAX_FRAME_BYTES, type PeerMessage } from '../../../signaling/protocol';
import { createCryptoApi } from '../../../client/crypto/api';
import { PeerLink, type KeyAgreement } from '../../../client/core/peer-link';

const crypto = createCryptoApi();
const ROOM_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const fp = (byte: string) => 'sha-256 ' + Array.from({ length: 32 }, () => byte).join(':');
const sdp = (fingerprint: string) => `v=0\r\na=fingerprint:${fingerprint}\r\n`;

class FakeChannel {
  readyState = 'connecting';
  binaryType = 'blob';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onbufferedamountlow: (() => void) | null = null;
  other: FakeChannel | null = null;
  send(data: Uint8Array) {
    const copy = data.slice().buffer;
    queueMicrotask(() => this.other?.onmessage?.({ data: copy }));
  }
  /** What a misbehaving peer can put on the wire. */
  inject(data: unknown) {
    this.other?.onmessage?.({ data });
  }
  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.onclose?.();
    this.other?.close();
  }
}

interface Side {
  link: PeerLink;
  channel: FakeChannel;
  messages: PeerMessage[];
  failures: string[];
  dropped: string[];
  established: boolean;
  learned: KeyAgreement[];
}

async function pair(options: {
  sameRoom?: boolean;
  /** What the second side believes is the first side's fingerprint. */
  swapFingerprint?: boolean;
  keyAgreements?: [KeyAgreement | null, KeyAgreement | null];
}): Promise<[Side, Side]> {
  const { room } = await crypto.createRoom();
  const other = options.sameRoom === false ? (await crypto.createRoom()).room : room;
  const channels = [new FakeChannel(), new FakeChannel()] as const;
  channels[0].other = channels[1];
  channels[1].other = channels[0];
  const fingerprints = [fp('aa'), fp('bb')];
  const sides: Side[] = [];
  for (const i of [0, 1] as const) {
    const identity = (await crypto.createIdentity()).handle;
    const remote = i === 1 && options.swapFingerprint ? fp('cc') : fingerprints[1 - i]!;
    const side = {
      channel: channels[i],
      messages: [],
      failures: [],
      dropped: [],
      learned: [],
      established: false,
    } as unknown as Side;
    side.link = new PeerLink({
      peerId: `peer-${i}`,
      pc: {
        localDescription: { sdp: sdp(fingerprints[i]!) },
        remoteDescription: { sdp: sdp(remote) },
        createDataChannel: () => channels[i],
      },
      crypto,
      identity,
      room: i === 0 ? room : other,
      username: i === 0 ? 'alice' : 'bob',
      roomId: ROOM_ID,
      epoch: 0,
      suite: 'aes-256-gcm',
      keyAgreement: options.keyAgreements ? options.keyAgreements[i] : 'x25519',
      onKeyAgreement: (ka) => side.learned.push(ka),
      onEstablished: () => (side.established = true),
      onMessage: (_l, m) => side.messages.push(m),
      onFailed: (_l, reason) => side.failures.push(reason),
      onClosed: () => undefined,
      onDroppedFrame: (_l, why) => side.dropped.push(why),
    });
    sides.push(side);
  }
  for (const channel of channels) {
    channel.readyState = 'open';
    channel.onopen?.();
  }
  return sides as [Side, Side];
}

const intro: PeerMessage = {
  type: 'intro',
  username: 'alice',
  displayName: 'Alice',
  device: 'a'.repeat(64),
  epoch: 0,
};

describe('PeerLink', () => {
  it('completes the handshake and carries messages both ways', async () => {
    const [a, b] = await pair({});
    await vi.waitFor(() => expect(a.established && b.established).toBe(true));
    expect(a.link.peer?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await a.link.send(intro)).toBe(true);
    await vi.waitFor(() => expect(b.messages).toEqual([intro]));
  });

  it('lets a newcomer who does not know the key agreement learn it from the peer', async () => {
    const [a, b] = await pair({ keyAgreements: ['p521', null] });
    await vi.waitFor(() => expect(a.established && b.established).toBe(true));
    expect(b.learned).toEqual(['p521']);
  });

  it('drops junk, oversized and replayed frames, counts them, and keeps working', async () => {
    const [a, b] = await pair({});
    await vi.waitFor(() => expect(b.established).toBe(true));
    a.channel.inject(new Uint8Array(P2P_MAX_FRAME_BYTES + 1).buffer);
    a.channel.inject('a string, not bytes');
    a.channel.inject(new Uint8Array([3, 1, 2, 3]).buffer);
    await vi.waitFor(() => expect(b.dropped).toHaveLength(3));
    expect(b.dropped.slice(0, 2)).toEqual(['oversized', 'not binary']);
    expect(await a.link.send(intro)).toBe(true);
    await vi.waitFor(() => expect(b.messages).toEqual([intro]));
    expect(b.failures).toEqual([]);
  });

  it('refuses a peer that holds another room key', async () => {
    const [a, b] = await pair({ sameRoom: false });
    await vi.waitFor(() => expect(a.failures.length + b.failures.length).toBeGreaterThan(0));
    expect(a.established && b.established).toBe(false);
    expect(await a.link.send(intro)).toBe(false);
    // The name it gave (unverified) is what the person is told could not be verified.
    expect(a.link.claimedUsername).toBe('bob');
  });

  it('refuses a connection whose DTLS fingerprints do not match what each side saw', async () => {
    const [a, b] = await pair({ swapFingerprint: true });
    await vi.waitFor(() =>
      expect([...a.failures, ...b.failures]).toContain('fingerprint-mismatch'),
    );
    expect(b.messages).toEqual([]);
  });
});
