// Large payloads travel as two messages, a 14-byte header and then the body (wire.ts).
// The header stays the body's associated data, so every way of mixing up or forging the
// pair is rejected with a typed reason, and the genuine pair still opens afterwards.
import { describe, expect, test } from 'vitest';
import { SPLIT_FRAME_MIN_PAYLOAD } from '../../../../client/crypto/channel/wire';
import { CIPHER_SUITES } from '../../../../client/crypto/primitives/aead';
import { randomBytes, toHex } from '../../../../client/crypto/primitives/bytes';
import { openPair, unwrap, type Pair } from './pair';

const SIZE = SPLIT_FRAME_MIN_PAYLOAD;

async function sealSplit(channel: Pair['alice'], payload = randomBytes(SIZE)) {
  const frames = unwrap(await channel.send(payload));
  expect(frames).toHaveLength(2);
  return { header: frames[0]!, body: frames[1]!, payload };
}

/** Delivers a header and its body; returns the payload the receiver got, as hex. */
async function openPairOfFrames(channel: Pair['bob'], header: Uint8Array, body: Uint8Array) {
  expect(unwrap(await channel.receive(header)).message).toBeNull();
  const message = unwrap(await channel.receive(body)).message;
  return message ? toHex(message) : null;
}

describe('split frames (header, then body)', () => {
  test('a payload just under the split size stays one frame', async () => {
    const { alice, bob } = await openPair();
    const payload = randomBytes(SIZE - 1);
    const [frame, ...rest] = unwrap(await alice.send(payload));
    expect(rest).toHaveLength(0);
    expect(toHex(unwrap(await bob.receive(frame!)).message!)).toBe(toHex(payload));
  });

  test('a body without its header is rejected; the pair still opens', async () => {
    const { alice, bob } = await openPair();
    const { header, body, payload } = await sealSplit(alice);
    expect((await bob.receive(body)).ok).toBe(false);
    expect(await openPairOfFrames(bob, header, body)).toBe(toHex(payload));
  });

  test('two headers in a row: the second is rejected, the first still pairs with its body', async () => {
    const { alice, bob } = await openPair();
    const { header, body, payload } = await sealSplit(alice);
    expect(unwrap(await bob.receive(header)).message).toBeNull();
    expect(await bob.receive(header)).toMatchObject({ ok: false, reason: 'out-of-order' });
    expect(toHex(unwrap(await bob.receive(body)).message!)).toBe(toHex(payload));
  });

  test("a header paired with another frame's body fails; both genuine pairs then open", async () => {
    const { alice, bob } = await openPair();
    const first = await sealSplit(alice);
    const second = await sealSplit(alice);
    expect(unwrap(await bob.receive(first.header)).message).toBeNull();
    expect(await bob.receive(second.body)).toMatchObject({ ok: false, reason: 'bad-tag' });
    expect(await openPairOfFrames(bob, first.header, first.body)).toBe(toHex(first.payload));
    expect(await openPairOfFrames(bob, second.header, second.body)).toBe(toHex(second.payload));
  });

  test('a replayed header is named a replay; a header that skips ahead, out of order', async () => {
    const { alice, bob } = await openPair();
    const first = await sealSplit(alice);
    const second = await sealSplit(alice);
    const third = await sealSplit(alice);
    expect(await openPairOfFrames(bob, first.header, first.body)).toBe(toHex(first.payload));
    expect(await bob.receive(first.header)).toMatchObject({ ok: false, reason: 'replay' });
    expect(await bob.receive(third.header)).toMatchObject({ ok: false, reason: 'out-of-order' });
    expect(await openPairOfFrames(bob, second.header, second.body)).toBe(toHex(second.payload));
  });

  test('a split header of the wrong length is malformed', async () => {
    const { alice, bob } = await openPair();
    const { header } = await sealSplit(alice);
    const longer = new Uint8Array(header.length + 1);
    longer.set(header);
    expect(await bob.receive(longer)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  for (const suite of CIPHER_SUITES) {
    test(`${suite}: flipping any bit of the header, or of the body's edges, is rejected`, async () => {
      const { alice, bob } = await openPair({ suite });
      const { header, body, payload } = await sealSplit(alice);
      for (let byte = 0; byte < header.length; byte++) {
        for (const bit of [0, 3, 7]) {
          const tampered = header.slice();
          tampered[byte]! ^= 1 << bit;
          const first = await bob.receive(tampered);
          // Either the header itself is refused, or it is held and its body then fails.
          if (first.ok) expect((await bob.receive(body)).ok, `byte ${byte} bit ${bit}`).toBe(false);
        }
      }
      const edges = [0, 1, body.length - 17, body.length - 16, body.length - 1];
      for (const byte of edges) {
        const tampered = body.slice();
        tampered[byte]! ^= 0x80;
        expect(unwrap(await bob.receive(header)).message).toBeNull();
        expect(await bob.receive(tampered)).toMatchObject({ ok: false, reason: 'bad-tag' });
      }
      // None of the forgeries moved the receiver: the genuine pair still opens.
      expect(await openPairOfFrames(bob, header, body)).toBe(toHex(payload));
    });
  }

  test('large messages keep flowing across re-keys', async () => {
    const { alice, bob } = await openPair({ alice: { rekeyAfterMessages: 3 } });
    const sent: string[] = [];
    const received: string[] = [];
    for (let i = 0; i < 10; i++) {
      const payload = randomBytes(64 * 1024);
      sent.push(toHex(payload));
      for (const frame of unwrap(await alice.send(payload))) {
        const outcome = unwrap(await bob.receive(frame));
        if (outcome.message) received.push(toHex(outcome.message));
        for (const reply of outcome.reply) unwrap(await alice.receive(reply));
      }
    }
    expect(received).toEqual(sent);
    expect(alice.epoch).toBeGreaterThanOrEqual(3);
  });
});
