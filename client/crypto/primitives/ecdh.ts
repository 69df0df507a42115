// Ephemeral key agreement on WebCrypto: X25519 (default) and ECDH on P-521 (a room can
// choose it); P-256 exists for the Wycheproof vectors. Private keys are non-extractable
// CryptoKeys, so they never leave the worker even as bytes.
import { failure, success, type Result } from '../result';
import { asBufferSource, concatBytes } from './bytes';
import { CryptoInputError } from './errors';

export type KeyAgreement = 'x25519' | 'p521';
/** Includes the internal-only 'p256', used to run the P-256 vectors. */
export type AnyKeyAgreement = KeyAgreement | 'p256';

interface CurveInfo {
  readonly algorithm: Algorithm | EcKeyImportParams;
  /** Raw public key length: 32 for X25519, 1 + 2 * field size (uncompressed SEC1) for P-curves. */
  readonly publicKeyLength: number;
  readonly sharedSecretBits: number;
}

const CURVES: Record<AnyKeyAgreement, CurveInfo> = {
  x25519: { algorithm: { name: 'X25519' }, publicKeyLength: 32, sharedSecretBits: 256 },
  p256: {
    algorithm: { name: 'ECDH', namedCurve: 'P-256' },
    publicKeyLength: 65,
    sharedSecretBits: 256,
  },
  p521: {
    algorithm: { name: 'ECDH', namedCurve: 'P-521' },
    publicKeyLength: 133,
    sharedSecretBits: 528,
  },
};

function curveInfo(alg: AnyKeyAgreement): CurveInfo {
  const info = (CURVES as Partial<Record<string, CurveInfo>>)[alg];
  if (!info) throw new CryptoInputError('unknown-suite', 'This key agreement is not supported.');
  return info;
}

export function publicKeyLength(alg: AnyKeyAgreement): number {
  return curveInfo(alg).publicKeyLength;
}

export async function generateEphemeral(
  alg: AnyKeyAgreement,
): Promise<{ privateKey: CryptoKey; publicKey: Uint8Array<ArrayBuffer> }> {
  const info = curveInfo(alg);
  const pair = (await globalThis.crypto.subtle.generateKey(info.algorithm, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey };
}

/**
 * ECDH with a peer's raw public key. 'bad-length' for a key of the wrong size (P-curve
 * keys must be uncompressed SEC1), 'bad-point' for a point that is not on the curve, of
 * low order, or that gives an all-zero shared secret.
 */
export async function deriveSharedSecret(
  alg: AnyKeyAgreement,
  privateKey: CryptoKey,
  peerPublicKey: Uint8Array,
): Promise<Result<Uint8Array<ArrayBuffer>>> {
  const info = (CURVES as Partial<Record<string, CurveInfo>>)[alg];
  if (!info) return failure('unknown-suite', 'This key agreement is not supported.');
  if (peerPublicKey.length !== info.publicKeyLength) {
    return failure('bad-length', `The peer's public key must be ${info.publicKeyLength} bytes.`);
  }
  if (alg !== 'x25519' && peerPublicKey[0] !== 0x04) {
    return failure('bad-point', "The peer's public key is not an uncompressed curve point.");
  }
  let peerKey: CryptoKey;
  try {
    peerKey = await globalThis.crypto.subtle.importKey(
      'raw',
      asBufferSource(peerPublicKey),
      info.algorithm,
      false,
      [],
    );
  } catch {
    return failure('bad-point', "The peer's public key is not a valid point on the curve.");
  }
  let shared: Uint8Array<ArrayBuffer>;
  try {
    shared = new Uint8Array(
      await globalThis.crypto.subtle.deriveBits(
        { name: info.algorithm.name, public: peerKey } as EcdhKeyDeriveParams,
        privateKey,
        info.sharedSecretBits,
      ),
    );
  } catch {
    // WebCrypto refuses low-order X25519 points (all-zero output) with an OperationError.
    return failure('bad-point', "The peer's public key gives no usable shared secret.");
  }
  // X25519 only: an all-zero output means a low-order point, checked here too because not
  // every runtime refuses one by itself. On P-curves x = 0 is a legitimate point (and
  // WebCrypto already checked the point is on the curve, which has prime order).
  if (alg === 'x25519' && shared.every((byte) => byte === 0)) {
    return failure('bad-point', "The peer's public key gives an all-zero shared secret.");
  }
  return success(shared);
}

// PKCS#8 wrapping of a raw 32-byte X25519 private key (RFC 8410): WebCrypto cannot import
// raw X25519 private keys. Used by tests and vectors that start from known key bytes.
const X25519_PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/** Imports known private key bytes (tests, vectors) as a non-extractable CryptoKey. */
export async function importX25519PrivateKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 32)
    throw new CryptoInputError('bad-length', 'An X25519 private key is 32 bytes.');
  return globalThis.crypto.subtle.importKey(
    'pkcs8',
    concatBytes(X25519_PKCS8_PREFIX, raw),
    { name: 'X25519' },
    false,
    ['deriveBits'],
  );
}

/** Imports a P-curve private key given as a JWK (tests, vectors) as non-extractable. */
export async function importEcdhPrivateJwk(
  alg: 'p256' | 'p521',
  jwk: JsonWebKey,
): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('jwk', jwk, curveInfo(alg).algorithm, false, [
    'deriveBits',
  ]);
}
