// What someone who dumped a device's channel state can do with it: run the ratchet
// forward from every captured secret and try each key on a frame. The tests use this to
// show what such a thief can NOT read.
import {
  aeadFor,
  type CipherSuite,
  type PreparedKey,
} from '../../../../client/crypto/primitives/aead';
import { frameNonce, messageKey, nextChainKey } from '../../../../client/crypto/channel/ratchet';
import type { CapturedChannelState } from '../../../../client/crypto/channel/secure-channel';
import { decodeFrameHeader, FRAME_HEADER_LENGTH } from '../../../../client/crypto/channel/wire';

/** Chain keys the thief can start from: every secret in the dump. */
export function capturedSecrets(state: CapturedChannelState): Uint8Array[] {
  const secrets = [state.rootKey, state.send.chainKey, state.receive.chainKey];
  if (state.pendingReceive) secrets.push(state.pendingReceive.chainKey);
  return secrets;
}

/** Frame keys the channel had already prepared (imported) ahead of use: a thief gets them too. */
export async function capturedPreparedKeys(state: CapturedChannelState): Promise<PreparedKey[]> {
  const pending = [
    ...state.send.preparedKeys,
    ...state.receive.preparedKeys,
    ...(state.pendingReceive?.preparedKeys ?? []),
  ];
  return Promise.all(pending);
}

/** Tries each prepared key on a frame; returns the plaintext or null. */
export async function thiefOpensWithPreparedKeys(
  suite: CipherSuite,
  keys: PreparedKey[],
  frame: Uint8Array,
): Promise<Uint8Array | null> {
  const aead = aeadFor(suite);
  const header = decodeFrameHeader(frame);
  if (!header.ok) return null;
  const nonce = frameNonce(aead.nonceLength, header.value.epoch, header.value.seq);
  for (const key of keys) {
    const opened = await aead.openPrepared(
      key,
      nonce,
      frame.subarray(FRAME_HEADER_LENGTH),
      frame.subarray(0, FRAME_HEADER_LENGTH),
    );
    if (opened.ok) return opened.value;
  }
  return null;
}

/** Tries `steps` ratchet steps forward from each start; returns the plaintext or null. */
export async function thiefOpens(
  suite: CipherSuite,
  starts: Uint8Array[],
  frame: Uint8Array,
  steps = 150,
): Promise<Uint8Array | null> {
  const aead = aeadFor(suite);
  const header = decodeFrameHeader(frame);
  if (!header.ok) return null;
  const nonce = frameNonce(aead.nonceLength, header.value.epoch, header.value.seq);
  for (const start of starts) {
    let chainKey = start;
    for (let i = 0; i < steps; i++) {
      const opened = await aead.open(
        messageKey(chainKey, aead.keyLength),
        nonce,
        frame.subarray(FRAME_HEADER_LENGTH),
        frame.subarray(0, FRAME_HEADER_LENGTH),
      );
      if (opened.ok) return opened.value;
      chainKey = nextChainKey(chainKey);
    }
  }
  return null;
}
