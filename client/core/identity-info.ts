// The public half of this device's identity, which envelopes carry and peers pin.
import { z } from 'zod';
import { fromBase64Url, identityFingerprint, utf8Decode } from './bytes';
import type { CryptoPort } from './crypto-port';

export interface IdentityPublic {
  handle: string;
  alg: 'ed25519' | 'ecdsa-p256';
  publicKey: Uint8Array;
  fingerprint: string;
}

const HelloIdentity = z.object({
  identity: z.object({ alg: z.enum(['ed25519', 'ecdsa-p256']), publicKey: z.string() }),
});
const PROBE_FINGERPRINT = 'sha-256 ' + Array.from({ length: 32 }, () => '00').join(':');

/**
 * The info object as is; for a bare handle, the crypto api offers no getter, so the key
 * is read from the hello of a channel that is opened and released at once (the hello is
 * public: it is what every peer receives first).
 */
export async function publicIdentity(
  crypto: CryptoPort,
  identity: string | IdentityPublic,
  room: string,
  roomId: string,
): Promise<IdentityPublic> {
  if (typeof identity !== 'string') return identity;
  const { channel, hello } = await crypto.openChannel({
    identity,
    room,
    roomId,
    fingerprints: { local: PROBE_FINGERPRINT, remote: PROBE_FINGERPRINT },
  });
  await crypto.release(channel);
  const parsed = HelloIdentity.parse(JSON.parse(utf8Decode(hello.subarray(1))));
  const publicKey = fromBase64Url(parsed.identity.publicKey);
  return {
    handle: identity,
    alg: parsed.identity.alg,
    publicKey,
    fingerprint: await identityFingerprint(parsed.identity.alg, publicKey),
  };
}
