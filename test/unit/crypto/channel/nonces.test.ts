import { expect, test } from 'vitest';
import { aeadFor } from '../../../../client/crypto/primitives/aead';
import { toHex } from '../../../../client/crypto/primitives/bytes';
import { frameNonce, messageKey, nextChainKey } from '../../../../client/crypto/channel/ratchet';
import { decodeFrameHeader, FRAME_HEADER_LENGTH } from '../../../../client/crypto/channel/wire';
import { openPair, unwrap } from './pair';

const FRAMES = 100_000;

test(
  `${FRAMES.toLocaleString('en')} frames never repeat a (key, nonce) pair`,
  { timeout: 120_000 },
  async () => {
    const { alice, bob } = await openPair();
    const aead = aeadFor('aes-256-gcm');
    const pairs = new Set<string>();
    const nonces = new Set<string>();
    const payload = new Uint8Array(16);
    let sent = 0;
    let checked = 0;
    while (sent < FRAMES) {
      // The key and nonce each frame is sealed under, recomputed from the sender's state.
      let chainKey = alice.captureStateForTest().send.chainKey;
      new DataView(payload.buffer).setUint32(0, sent);
      const frames = unwrap(await alice.send(payload));
      for (const frame of frames) {
        const header = unwrap(decodeFrameHeader(frame));
        const key = messageKey(chainKey, aead.keyLength);
        const nonce = frameNonce(aead.nonceLength, header.epoch, header.seq);
        // Every so often, prove this really is the pair that sealed the frame.
        if (sent % 997 === 0) {
          const opened = await aead.open(
            key,
            nonce,
            frame.subarray(FRAME_HEADER_LENGTH),
            frame.subarray(0, FRAME_HEADER_LENGTH),
          );
          expect(opened.ok).toBe(true);
          checked += 1;
        }
        pairs.add(toHex(key) + toHex(nonce));
        nonces.add(`${header.epoch}/${header.seq}`);
        chainKey = nextChainKey(chainKey);
        const outcome = unwrap(await bob.receive(frame));
        for (const reply of outcome.reply) unwrap(await alice.receive(reply));
      }
      sent += 1;
    }
    const total = FRAMES + alice.epoch; // every re-key adds one offer frame
    expect(alice.epoch).toBeGreaterThanOrEqual(FRAMES / 100 - 1);
    expect(pairs.size).toBe(total);
    expect(nonces.size).toBe(total);
    expect(checked).toBeGreaterThan(100);
  },
);
