import { describe, expect, test } from 'vitest';
import { decodeFrameHeader, FRAME_REKEY_OFFER } from '../../../../client/crypto/channel/wire';
import { deliver, openPair, unwrap } from './pair';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function header(frame: Uint8Array) {
  return unwrap(decodeFrameHeader(frame));
}

describe('secure channel re-keying', () => {
  test('a fresh ephemeral exchange happens at least every 100 messages', async () => {
    const { alice, bob } = await openPair();
    const perEpoch = new Map<number, number>();
    for (let i = 0; i < 350; i++) {
      const { frames, received } = await deliver(alice, bob, `m${i}`);
      expect(received).toEqual([`m${i}`]);
      const data = frames.at(-1)!;
      const epoch = header(data).epoch;
      perEpoch.set(epoch, (perEpoch.get(epoch) ?? 0) + 1);
    }
    expect(alice.epoch).toBe(3);
    expect(bob.epoch).toBe(3);
    expect([...perEpoch.values()].every((count) => count <= 100)).toBe(true);
  });

  test('messages in both directions count: no epoch carries more than 100', async () => {
    const { alice, bob } = await openPair();
    let sinceRekey = 0;
    let epoch = 0;
    let longest = 0;
    for (let i = 0; i < 400; i++) {
      // Uneven chatter: Alice sends two for each of Bob's.
      const [from, to] = i % 3 === 2 ? [bob, alice] : [alice, bob];
      expect((await deliver(from, to, `m${i}`)).received).toEqual([`m${i}`]);
      if (alice.epoch !== epoch) {
        epoch = alice.epoch;
        sinceRekey = 1; // this message carried (or followed) the re-key
      } else {
        sinceRekey += 1;
      }
      longest = Math.max(longest, sinceRekey);
    }
    expect(alice.epoch).toBeGreaterThanOrEqual(3);
    expect(longest).toBeLessThanOrEqual(100);
  });

  test('a re-key happens after 10 minutes even with few messages', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const { alice, bob } = await openPair({ alice: clock, bob: clock });
    expect((await deliver(alice, bob, 'morning')).frames).toHaveLength(1);
    now += 10 * 60 * 1000;
    const { frames, received } = await deliver(alice, bob, 'ten minutes later');
    expect(frames.map((frame) => header(frame).kind)[0]).toBe(FRAME_REKEY_OFFER);
    expect(received).toEqual(['ten minutes later']);
    expect(alice.epoch).toBe(1);
    expect((await deliver(bob, alice, 'reply')).received).toEqual(['reply']);
  });

  test('frames in flight across a re-key still open, in both directions', async () => {
    const { alice, bob } = await openPair();
    const [offer] = unwrap(await alice.rekey());
    // Alice keeps talking (old epoch) before Bob's answer reaches her.
    const aliceOld = [];
    for (const text of ['a1', 'a2', 'a3'])
      aliceOld.push(unwrap(await alice.send(encoder.encode(text)))[0]!);
    const [answer] = unwrap(await bob.receive(offer!)).reply;
    // Bob has switched: his next frame is in the new epoch.
    const [bobNew] = unwrap(await bob.send(encoder.encode('b1')));
    expect(header(bobNew!).epoch).toBe(1);
    unwrap(await alice.receive(answer!));
    expect(decoder.decode(unwrap(await alice.receive(bobNew!)).message!)).toBe('b1');
    const [aliceNew] = unwrap(await alice.send(encoder.encode('a4')));
    expect(header(aliceNew!).epoch).toBe(1);
    // Bob gets Alice's old-epoch frames first, then her first new-epoch one.
    const texts = [];
    for (const frame of [...aliceOld, aliceNew!]) {
      texts.push(decoder.decode(unwrap(await bob.receive(frame)).message!));
    }
    expect(texts).toEqual(['a1', 'a2', 'a3', 'a4']);
    // The old epoch is now gone for good: its frames are replays.
    expect(await bob.receive(aliceOld[0]!)).toMatchObject({ ok: false, reason: 'replay' });
  });

  test('offers that cross are both honoured without an answer', async () => {
    const { alice, bob } = await openPair();
    const [aliceOffer] = unwrap(await alice.rekey());
    const [bobOffer] = unwrap(await bob.rekey());
    expect(unwrap(await alice.receive(bobOffer!)).reply).toEqual([]);
    expect(unwrap(await bob.receive(aliceOffer!)).reply).toEqual([]);
    expect([alice.epoch, bob.epoch]).toEqual([1, 1]);
    expect((await deliver(alice, bob, 'after crossing')).received).toEqual(['after crossing']);
    expect((await deliver(bob, alice, 'likewise')).received).toEqual(['likewise']);
  });

  test('a tampered re-key offer is rejected and changes nothing', async () => {
    const { alice, bob } = await openPair();
    const [offer] = unwrap(await alice.rekey());
    const tampered = offer!.slice();
    tampered[tampered.length - 20]! ^= 0x40;
    expect(await bob.receive(tampered)).toMatchObject({ ok: false, reason: 'bad-tag' });
    expect(bob.epoch).toBe(0);
    const [answer] = unwrap(await bob.receive(offer!)).reply;
    unwrap(await alice.receive(answer!));
    expect((await deliver(alice, bob, 'fine')).received).toEqual(['fine']);
  });

  test('re-keying works with P-521 and the other suites', async () => {
    for (const suite of ['xchacha20-poly1305', 'aes-256-cbc-hmac-sha512'] as const) {
      const { alice, bob } = await openPair({
        suite,
        keyAgreement: 'p521',
        alice: { rekeyAfterMessages: 3 },
      });
      for (let i = 0; i < 10; i++) {
        expect((await deliver(alice, bob, `${suite} ${i}`)).received).toEqual([`${suite} ${i}`]);
      }
      expect(alice.epoch).toBe(3);
    }
  });

  test('an answer nobody asked for fails the channel', async () => {
    const { alice, bob } = await openPair();
    const [offer] = unwrap(await alice.rekey());
    const [answer] = unwrap(await bob.receive(offer!)).reply;
    unwrap(await alice.receive(answer!));
    // A second, genuine-looking answer cannot exist: replaying the first is a replay.
    expect(await alice.receive(answer!)).toMatchObject({ ok: false, reason: 'replay' });
    expect(alice.state).toBe('open');
  });
});
