// Sealed signaling between two sessions' sockets, with a fake relay in the middle: frames
// pass sealed (the relay sees no SDP), a tampered frame is reported, a replay is dropped
// silently, and frames for someone else are ignored.
import { describe, expect, it, vi } from 'vitest';
import { createCryptoApi } from '../../../client/crypto/api';
import {
  BROADCAST,
  peekRecipient,
  registerSealedSignaling,
  type SignalingSealContext,
} from '../../../client/core/sealed-signaling-socket';
import { SignalSeals } from '../../../client/core/signaling-seal';

const crypto = createCryptoApi();
const ROOM_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** A stand-in for the relay's WebSocket: records what the client sends. */
class FakeRelaySocket {
  static last: FakeRelaySocket | null = null;
  readyState = 0;
  binaryType = 'blob';
  sent: string[] = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeRelaySocket.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

async function endpoint(room: string, self: string) {
  const seals = new SignalSeals(crypto, room, () => self);
  const rejected: string[] = [];
  let replays = 0;
  const context: SignalingSealContext = {
    WebSocket: FakeRelaySocket,
    resolveUrl: async () => 'ws://relay.test/signal?ticket=t',
    selfId: () => self,
    seal: (to, payload) => seals.seal(to, payload),
    open: (to, sealed) => seals.open(to, sealed),
    onRejected: (m) => rejected.push(m),
    onReplay: () => replays++,
    onOpen: () => undefined,
    onClose: () => undefined,
    onUrlFailed: () => undefined,
  };
  const key = `ws://relay.test/key-${self}-${Math.random()}`;
  registerSealedSignaling(key, context);
  const socket = new (
    globalThis as unknown as {
      WebSocket: new (url: string) => {
        onmessage: ((e: { data: string }) => void) | null;
        send(t: string): void;
        onopen: (() => void) | null;
      };
    }
  ).WebSocket(key);
  await new Promise<void>((resolve) => (socket.onopen = resolve));
  const relay = FakeRelaySocket.last!;
  const received: unknown[] = [];
  socket.onmessage = (e) => received.push(JSON.parse(e.data));
  return { socket, relay, received, rejected, replays: () => replays };
}

describe('sealed signaling socket', () => {
  it('seals y-webrtc publishes end to end and opens them on the other side', async () => {
    const { room } = await crypto.createRoom();
    const alice = await endpoint(room, 'peer-alice');
    const bob = await endpoint(room, 'peer-bob');
    const offer = {
      type: 'signal',
      from: 'peer-alice',
      to: 'peer-bob',
      token: 1,
      signal: { type: 'offer', sdp: 'v=0 secret-sdp' },
    };
    alice.socket.send(JSON.stringify({ type: 'publish', topic: ROOM_ID, data: offer }));
    alice.socket.send(
      JSON.stringify({
        type: 'publish',
        topic: ROOM_ID,
        data: { type: 'announce', from: 'peer-alice' },
      }),
    );
    await vi.waitFor(() => expect(alice.relay.sent).toHaveLength(2));
    for (const frame of alice.relay.sent) expect(frame).not.toContain('secret-sdp');
    const [sealedOffer, sealedAnnounce] = alice.relay.sent.map(
      (f) => JSON.parse(f) as { data: string },
    );
    expect(peekRecipient(sealedOffer!.data)).toEqual({ from: 'peer-alice', to: 'peer-bob' });
    expect(peekRecipient(sealedAnnounce!.data)?.to).toBe(BROADCAST);

    // The relay forwards both to Bob, then replays the offer.
    for (const frame of [...alice.relay.sent, alice.relay.sent[0]!]) {
      bob.relay.onmessage?.({ data: JSON.stringify({ ...JSON.parse(frame), clients: 2 }) });
    }
    await vi.waitFor(() => expect(bob.replays()).toBe(1));
    expect(bob.received).toEqual([
      { type: 'publish', topic: ROOM_ID, clients: 2, data: offer },
      {
        type: 'publish',
        topic: ROOM_ID,
        clients: 2,
        data: { type: 'announce', from: 'peer-alice' },
      },
    ]);
    expect(bob.rejected).toEqual([]);
  });

  it('reports tampered, substituted and unsealed frames and passes none of them on', async () => {
    const { room } = await crypto.createRoom();
    const alice = await endpoint(room, 'peer-alice');
    const bob = await endpoint(room, 'peer-bob');
    alice.socket.send(
      JSON.stringify({
        type: 'publish',
        topic: ROOM_ID,
        data: {
          type: 'signal',
          from: 'peer-alice',
          to: 'peer-bob',
          signal: { type: 'offer', sdp: 'x' },
        },
      }),
    );
    await vi.waitFor(() => expect(alice.relay.sent).toHaveLength(1));
    const frame = JSON.parse(alice.relay.sent[0]!) as { data: string };
    const flipped =
      frame.data.slice(0, -6) + (frame.data.at(-6) === 'A' ? 'B' : 'A') + frame.data.slice(-5);
    const inject = (data: unknown) =>
      bob.relay.onmessage?.({
        data: JSON.stringify({ type: 'publish', topic: ROOM_ID, data, clients: 2 }),
      });
    inject(flipped);
    inject({ type: 'announce', from: 'relay-made-this-up' });
    inject('not even base64 !!!');
    bob.relay.onmessage?.({ data: '{not json' });
    await vi.waitFor(() => expect(bob.rejected).toHaveLength(4));
    expect(bob.received).toEqual([]);
  });

  it('ignores frames sealed for another member and frames from another room key', async () => {
    const { room } = await crypto.createRoom();
    const { room: otherRoom } = await crypto.createRoom();
    const alice = await endpoint(room, 'peer-alice');
    const bob = await endpoint(room, 'peer-bob');
    const mallory = await endpoint(otherRoom, 'peer-mallory');
    alice.socket.send(
      JSON.stringify({
        type: 'publish',
        topic: ROOM_ID,
        data: { type: 'signal', from: 'peer-alice', to: 'peer-carol', signal: {} },
      }),
    );
    mallory.socket.send(
      JSON.stringify({
        type: 'publish',
        topic: ROOM_ID,
        data: { type: 'announce', from: 'peer-mallory' },
      }),
    );
    await vi.waitFor(() => expect(alice.relay.sent.length + mallory.relay.sent.length).toBe(2));
    for (const frame of [...alice.relay.sent, ...mallory.relay.sent])
      bob.relay.onmessage?.({ data: frame });
    // Frames are handled in order: a well-formed frame sent last marks the end.
    alice.socket.send(
      JSON.stringify({
        type: 'publish',
        topic: ROOM_ID,
        data: { type: 'announce', from: 'peer-alice' },
      }),
    );
    await vi.waitFor(() => expect(alice.relay.sent).toHaveLength(2));
    bob.relay.onmessage?.({ data: alice.relay.sent[1]! });
    await vi.waitFor(() => expect(bob.received).toHaveLength(1));
    expect(bob.received[0]).toMatchObject({ data: { type: 'announce', from: 'peer-alice' } });
    // Carol's frame is simply not Bob's business; Mallory's fails verification.
    expect(bob.rejected).toHaveLength(1);
  });
});
