// X25519 and ECDH (P-256, P-521, JWK-encoded "webcrypto" files) through deriveSharedSecret.
import {
  deriveSharedSecret,
  importEcdhPrivateJwk,
  importX25519PrivateKey,
} from '../../../../client/crypto/primitives/ecdh';
import { fromBase64Url } from '../../../../client/crypto/primitives/bytes';
import { allTests, hex, loadVectorFile, sameBytes, Tally, type FileTally } from './vector-file';

/**
 * Rule for 'acceptable' X25519 vectors, by flag: those flagged ZeroSharedSecret (low-order
 * public keys) must be rejected with 'bad-point', because our policy refuses every peer
 * key that gives an all-zero secret; every other acceptable vector (twist points,
 * non-canonical encodings, ...) must give exactly the expected secret, as valid ones do.
 */
export async function runX25519File(name: string): Promise<FileTally> {
  const tally = new Tally(name);
  for (const { test } of allTests(loadVectorFile(name))) {
    const expected = hex(test['shared']);
    const privateKey = await importX25519PrivateKey(hex(test['private']));
    const result = await deriveSharedSecret('x25519', privateKey, hex(test['public']));
    const mustReject = test.flags.includes('ZeroSharedSecret');
    if (mustReject !== expected.every((byte) => byte === 0)) {
      tally.check(test, false, 'the ZeroSharedSecret flag and the expected secret disagree');
    } else if (test.result === 'invalid') {
      tally.check(test, !result.ok, 'an invalid public key was accepted');
    } else if (test.result === 'acceptable' && mustReject) {
      tally.check(
        test,
        !result.ok && result.reason === 'bad-point',
        'an all-zero shared secret was not rejected as bad-point',
      );
    } else {
      tally.check(test, result.ok && sameBytes(result.value, expected), 'wrong shared secret');
    }
  }
  return tally.result;
}

function base64UrlField(jwk: Record<string, unknown>, field: string): Uint8Array {
  const decoded = typeof jwk[field] === 'string' ? fromBase64Url(jwk[field]) : undefined;
  return decoded?.ok ? decoded.value : new Uint8Array(0);
}

/**
 * Our API takes raw uncompressed SEC1 points, so the peer's JWK is turned into
 * 0x04 || x || y without any checks: a missing or odd-sized coordinate, or a point from
 * another curve, must then be refused by deriveSharedSecret itself.
 */
function jwkToRawPoint(jwk: Record<string, unknown>): Uint8Array {
  const x = base64UrlField(jwk, 'x');
  const y = base64UrlField(jwk, 'y');
  const raw = new Uint8Array(1 + x.length + y.length);
  raw[0] = 0x04;
  raw.set(x, 1);
  raw.set(y, 1 + x.length);
  return raw;
}

const WEBCRYPTO_CURVES: Record<string, 'p256' | 'p521'> = {
  'ecdh_secp256r1_webcrypto_test.json': 'p256',
  'ecdh_secp521r1_webcrypto_test.json': 'p521',
};

export async function runEcdhWebcryptoFile(name: string): Promise<FileTally> {
  const curve = WEBCRYPTO_CURVES[name]!;
  const tally = new Tally(name);
  for (const { test } of allTests(loadVectorFile(name))) {
    const privateKey = await importEcdhPrivateJwk(curve, test['private'] as JsonWebKey);
    const peer = jwkToRawPoint(test['public'] as Record<string, unknown>);
    const result = await deriveSharedSecret(curve, privateKey, peer);
    if (test.result === 'invalid') {
      tally.check(test, !result.ok, 'an invalid public key was accepted');
    } else {
      const expected = hex(test['shared']);
      tally.check(test, result.ok && sameBytes(result.value, expected), 'wrong shared secret');
    }
  }
  return tally.result;
}
