import { expect, test } from 'vitest';
import { aeadFor } from '../../../../client/crypto/primitives/aead';
import { frameNonce, ratchetStep } from '../../../../client/crypto/channel/ratchet';
import { decodeFrameHeader, FRAME_HEADER_LENGTH } from '../../../../client/crypto/channel/wire';
import { openPair, unwrap } from './pair';

const FRAMES = 100_000;

/** A compact Set key for a byte string (hex would cost more than the crypto here). */
function bytesKey(...parts: Uint8Array[]): string {
  let out = '';
  for (const part of parts) out += String.fromCharCode(...part);
  return out;
}

test(
  `${FRAMES.toLocaleString('en')} AES-GCM frames never repeat a (key, nonce) pair`,
  { timeout: 180_000 },
  async () => {
    const { alice, bob } = await openPair();
    const aead = aeadFor('aes-256-gcm');
    const pairs = new Set<string>();
    const nonces = new Set<string>();
    const payload = new Uint8Array(16);
    let trackedEpoch = -1;
    let chainKey: Uint8Array = new Uint8Array(0);
    let frameCount = 0;
    let proven = 0;
    for (let sent = 0; sent < FRAMES; sent++) {
      // The sender's chain key, read once per epoch and then stepped like the channel does.
      if (alice.epoch !== trackedEpoch) {
        trackedEpoch = alice.epoch;
        chainKey = alice.captureStateForTest().send.chainKey;
      }
      new DataView(payload.buffer).setUint32(0, sent);
      for (const frame of unwrap(await alice.send(payload))) {
        const header = unwrap(decodeFrameHeader(frame));
        const step = ratchetStep(chainKey, aead.keyLength);
        const nonce = frameNonce(aead.nonceLength, header.epoch, header.seq);
        // Now and then, prove this really is the key and nonce that sealed the frame.
        if (frameCount % 997 === 0) {
          const body = frame.subarray(FRAME_HEADER_LENGTH);
          const aad = frame.subarray(0, FRAME_HEADER_LENGTH);
          expect((await aead.open(step.messageKey, nonce, body, aad)).ok).toBe(true);
          proven += 1;
        }
        pairs.add(bytesKey(step.messageKey, nonce));
        nonces.add(bytesKey(nonce));
        chainKey = step.nextChainKey;
        frameCount += 1;
        const outcome = unwrap(await bob.receive(frame));
        for (const reply of outcome.reply) unwrap(await alice.receive(reply));
      }
    }
    // 100,000 messages plus one re-key offer per epoch.
    expect(alice.epoch).toBeGreaterThanOrEqual(FRAMES / 100 - 1);
    expect(frameCount).toBe(FRAMES + alice.epoch);
    expect(pairs.size).toBe(frameCount);
    expect(nonces.size).toBe(frameCount);
    expect(proven).toBeGreaterThan(100);
  },
);
