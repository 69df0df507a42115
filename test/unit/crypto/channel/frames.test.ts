import { describe, expect, test } from 'vitest';
import { CIPHER_SUITES } from '../../../../client/crypto/primitives/aead';
import { randomBytes, toHex } from '../../../../client/crypto/primitives/bytes';
import { openPair, unwrap } from './pair';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function sealOne(channel: Awaited<ReturnType<typeof openPair>>['alice'], text: string) {
  const frames = unwrap(await channel.send(encoder.encode(text)));
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

async function openText(channel: Awaited<ReturnType<typeof openPair>>['bob'], frame: Uint8Array) {
  const outcome = unwrap(await channel.receive(frame));
  return outcome.message ? decoder.decode(outcome.message) : null;
}

describe('secure channel frames', () => {
  test('a replayed frame is rejected and shown once', async () => {
    const { alice, bob } = await openPair();
    const first = await sealOne(alice, 'pay Bob 10 euros');
    expect(await openText(bob, first)).toBe('pay Bob 10 euros');
    expect(await bob.receive(first)).toMatchObject({ ok: false, reason: 'replay' });
    const second = await sealOne(alice, 'thanks');
    expect(await openText(bob, second)).toBe('thanks');
    expect(await bob.receive(first)).toMatchObject({ ok: false, reason: 'replay' });
  });

  test('reordered frames are rejected; the right order still opens', async () => {
    const { alice, bob } = await openPair();
    const one = await sealOne(alice, 'one');
    const two = await sealOne(alice, 'two');
    expect(await bob.receive(two)).toMatchObject({ ok: false, reason: 'out-of-order' });
    expect(await openText(bob, one)).toBe('one');
    expect(await openText(bob, two)).toBe('two');
  });

  test('a dropped frame shows up as a gap, not as silent loss', async () => {
    const { alice, bob } = await openPair();
    await sealOne(alice, 'lost in transit');
    const next = await sealOne(alice, 'next');
    expect(await bob.receive(next)).toMatchObject({ ok: false, reason: 'out-of-order' });
  });

  test('a frame cut short is rejected', async () => {
    const { alice, bob } = await openPair();
    const frame = await sealOne(alice, 'a message that will be cut');
    expect(await bob.receive(frame.subarray(0, 10))).toMatchObject({
      ok: false,
      reason: 'truncated',
    });
    for (const cut of [14, 20, frame.length - 1]) {
      expect(await bob.receive(frame.subarray(0, cut))).toMatchObject({
        ok: false,
        reason: 'bad-tag',
      });
    }
    expect(await openText(bob, frame)).toBe('a message that will be cut');
  });

  test('a stream cut off before the close frame is reported as truncated', async () => {
    const { alice, bob } = await openPair();
    expect(await openText(bob, await sealOne(alice, 'partial'))).toBe('partial');
    expect(bob.transportEnded()).toMatchObject({ ok: false, reason: 'truncated' });
    const close = unwrap(await alice.close());
    expect(unwrap(await bob.receive(close)).closed).toBe(true);
    expect(bob.transportEnded().ok).toBe(true);
    expect(await alice.send(encoder.encode('after close'))).toMatchObject({
      reason: 'wrong-state',
    });
  });

  for (const suite of CIPHER_SUITES) {
    test(`${suite}: flipping any single bit of a frame is rejected`, async () => {
      const { alice, bob } = await openPair({ suite });
      const frame = await sealOne(alice, 'flip me');
      for (let byte = 0; byte < frame.length; byte++) {
        for (const bit of [0, 3, 7]) {
          const tampered = frame.slice();
          tampered[byte]! ^= 1 << bit;
          const outcome = await bob.receive(tampered);
          expect(outcome.ok, `byte ${byte} bit ${bit}`).toBe(false);
        }
      }
      // None of the forgeries moved the receiver: the genuine frame still opens.
      expect(await openText(bob, frame)).toBe('flip me');
    });
  }

  test('frames are bound to their direction: Alice cannot be fed her own frame', async () => {
    const { alice, bob } = await openPair();
    const frame = await sealOne(alice, 'to bob');
    expect(await alice.receive(frame)).toMatchObject({ ok: false, reason: 'bad-tag' });
    expect(await openText(bob, frame)).toBe('to bob');
  });

  test('frames from another session with the same people and room do not open', async () => {
    const first = await openPair({ psk: new Uint8Array(32).fill(7) });
    const second = await openPair({ psk: new Uint8Array(32).fill(7) });
    const frame = await sealOne(first.alice, 'session one');
    expect(await second.bob.receive(frame)).toMatchObject({ ok: false, reason: 'bad-tag' });
  });

  test('sends issued together come out in call order (operations are serialised)', async () => {
    const { alice, bob } = await openPair({ alice: { rekeyAfterMessages: 7 } });
    const texts = Array.from({ length: 30 }, (_, i) => `burst ${i}`);
    const results = await Promise.all(texts.map((text) => alice.send(encoder.encode(text))));
    const received: string[] = [];
    for (const frames of results.map(unwrap)) {
      for (const frame of frames) {
        const outcome = unwrap(await bob.receive(frame));
        if (outcome.message) received.push(decoder.decode(outcome.message));
        for (const reply of outcome.reply) unwrap(await alice.receive(reply));
      }
    }
    expect(received).toEqual(texts);
  });

  test('nothing is accepted after the peer closed the channel', async () => {
    const { alice, bob } = await openPair();
    const last = await sealOne(alice, 'last words');
    expect(await openText(bob, last)).toBe('last words');
    expect(unwrap(await bob.receive(unwrap(await alice.close()))).closed).toBe(true);
    expect(await bob.receive(last)).toMatchObject({ ok: false, reason: 'wrong-state' });
    expect(await alice.send(encoder.encode('too late'))).toMatchObject({
      ok: false,
      reason: 'wrong-state',
    });
    // Bob can still say goodbye: closing is per direction.
    const [reply] = unwrap(await bob.send(encoder.encode('bye')));
    expect(await openText(alice, reply!)).toBe('bye');
  });

  test('large frames (256 KiB) and empty ones round-trip', async () => {
    const { alice, bob } = await openPair();
    const big = randomBytes(256 * 1024);
    const frames = unwrap(await alice.send(big));
    // Split: a 14-byte header, then the body as WebCrypto produced it (no joining copy).
    expect(frames.map((frame) => frame.length)).toEqual([14, big.length + 16]);
    expect(unwrap(await bob.receive(frames[0]!)).message).toBeNull();
    const received = unwrap(await bob.receive(frames[1]!)).message!;
    // Compared as one string: element-wise deep equality on 256 KiB is needlessly slow.
    expect(received.length).toBe(big.length);
    expect(toHex(received)).toBe(toHex(big));
    const [empty] = unwrap(await alice.send(new Uint8Array(0)));
    expect(unwrap(await bob.receive(empty!)).message).toEqual(new Uint8Array(0));
  });
});
