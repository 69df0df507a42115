import { describe, expect, test } from 'vitest';
import { deriveSharedSecret, generateEphemeral } from '../../../../client/crypto/primitives/ecdh';
import { deriveRekeyKeys } from '../../../../client/crypto/channel/ratchet';
import { decodeFrameHeader } from '../../../../client/crypto/channel/wire';
import { openPair, unwrap } from './pair';
import {
  capturedPreparedKeys,
  capturedSecrets,
  thiefOpens,
  thiefOpensWithPreparedKeys,
} from './thief';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('forward secrecy and post-compromise security', () => {
  test('state captured at message 50 cannot open message 10', async () => {
    const { alice, bob } = await openPair();
    const frames: Uint8Array[] = [];
    for (let i = 1; i <= 60; i++) {
      const [frame] = unwrap(await alice.send(encoder.encode(`message ${i}`)));
      frames.push(frame!);
    }
    for (const frame of frames.slice(0, 50)) unwrap(await bob.receive(frame));
    const bobDump = bob.captureStateForTest();
    const aliceDump = alice.captureStateForTest();
    const starts = [...capturedSecrets(bobDump), ...capturedSecrets(aliceDump)];

    // The dump is real: with it the thief reads what comes next...
    const next = await thiefOpens('aes-256-gcm', starts, frames[50]!);
    expect(next && decoder.decode(next)).toBe('message 51');
    // ...but nothing from before, not even with both sides' state.
    expect(await thiefOpens('aes-256-gcm', starts, frames[9]!)).toBeNull();
    expect(await thiefOpens('aes-256-gcm', starts, frames[49]!)).toBeNull();
  });

  test('the frame keys prepared ahead of use at message 50 open no earlier message', async () => {
    const { alice, bob } = await openPair();
    const frames: Uint8Array[] = [];
    for (let i = 1; i <= 60; i++) {
      const [frame] = unwrap(await alice.send(encoder.encode(`message ${i}`)));
      frames.push(frame!);
    }
    for (const frame of frames.slice(0, 50)) unwrap(await bob.receive(frame));
    // A bad frame makes the receiver prepare one more key ahead; it must still be a future one.
    const forged = frames[50]!.slice();
    forged[forged.length - 1]! ^= 1;
    expect(await bob.receive(forged)).toMatchObject({ ok: false, reason: 'bad-tag' });
    const bobDump = bob.captureStateForTest();
    const aliceDump = alice.captureStateForTest();
    const prepared = [
      ...(await capturedPreparedKeys(bobDump)),
      ...(await capturedPreparedKeys(aliceDump)),
    ];
    // The state really holds imported keys for what comes next: the receiver has message
    // 51's and 52's, the sender message 61's.
    expect(bobDump.receive.preparedKeys).toHaveLength(2);
    expect(aliceDump.send.preparedKeys).toHaveLength(1);
    const next = await thiefOpensWithPreparedKeys('aes-256-gcm', prepared, frames[50]!);
    expect(next && decoder.decode(next)).toBe('message 51');
    // None of them opens any message already received, message 10 included.
    for (const frame of frames.slice(0, 50)) {
      expect(await thiefOpensWithPreparedKeys('aes-256-gcm', prepared, frame)).toBeNull();
    }
    // And the genuine message 51 still opens after the forged one was refused.
    expect(decoder.decode(unwrap(await bob.receive(frames[50]!)).message!)).toBe('message 51');
  });

  test('a prepared frame key is erased once its frame was sealed or opened', async () => {
    const { alice, bob } = await openPair();
    const [first] = unwrap(await alice.send(encoder.encode('one')));
    unwrap(await bob.receive(first!));
    const sendKey = await alice.captureStateForTest().send.preparedKeys[0]!;
    const receiveKey = await bob.captureStateForTest().receive.preparedKeys[0]!;
    expect([sendKey.erased, receiveKey.erased]).toEqual([false, false]);
    const [second] = unwrap(await alice.send(encoder.encode('two')));
    expect(sendKey.erased).toBe(true);
    expect(receiveKey.erased).toBe(false);
    expect(decoder.decode(unwrap(await bob.receive(second!)).message!)).toBe('two');
    await Promise.resolve(); // erasure runs once the key's promise settles (already settled)
    expect(receiveKey.erased).toBe(true);
  });

  test('after one re-key, captured state cannot open new messages', async () => {
    const { alice, bob } = await openPair({ keyAgreement: 'x25519' });
    const exchange = async (text: string) => {
      const frames = unwrap(await alice.send(encoder.encode(text)));
      for (const frame of frames) {
        for (const reply of unwrap(await bob.receive(frame)).reply)
          unwrap(await alice.receive(reply));
      }
      return frames;
    };
    for (let i = 0; i < 50; i++) await exchange(`before ${i}`);
    const starts = [
      ...capturedSecrets(alice.captureStateForTest()),
      ...capturedSecrets(bob.captureStateForTest()),
    ];
    const [oldFrame] = await exchange('still readable');
    expect(decoder.decode((await thiefOpens('aes-256-gcm', starts, oldFrame!))!)).toBe(
      'still readable',
    );

    // One re-key: fresh ephemerals that the thief never saw the private halves of.
    const [offer] = unwrap(await alice.rekey());
    const [answer] = unwrap(await bob.receive(offer!)).reply;
    unwrap(await alice.receive(answer!));
    expect(alice.epoch).toBe(1);
    const newFrames = await exchange('after the re-key');
    expect(decodeFrameHeader(newFrames[0]!)).toMatchObject({ ok: true, value: { epoch: 1 } });

    // The thief reads both ephemeral public keys (the offer and answer were sent under
    // keys it holds) and tries the re-key derivation with its own ECDH: useless.
    const offerKey = (await thiefOpens('aes-256-gcm', starts, offer!))!;
    const answerKey = (await thiefOpens('aes-256-gcm', starts, answer!))!;
    expect(offerKey).toHaveLength(32);
    expect(answerKey).toHaveLength(32);
    const guess = await generateEphemeral('x25519');
    const shared = unwrap(await deriveSharedSecret('x25519', guess.privateKey, offerKey));
    const guessedKeys = [starts[0]!, starts[3]!].flatMap((root) => {
      const keys = deriveRekeyKeys(shared, root, 1, offerKey, answerKey);
      const swapped = deriveRekeyKeys(shared, root, 1, answerKey, offerKey);
      return [keys, swapped].flatMap((k) => [k.lowChainKey, k.highChainKey]);
    });
    for (const frame of newFrames) {
      expect(await thiefOpens('aes-256-gcm', [...starts, ...guessedKeys], frame)).toBeNull();
    }
    // Bob, of course, read it.
    expect(bob.epoch).toBe(1);
  });
});
