// Identity signatures: Ed25519 where WebCrypto has it, ECDSA P-256 (SHA-256, IEEE P1363
// r||s encoding) where it doesn't. Private keys are non-extractable CryptoKeys.
import { ed25519 } from '@noble/curves/ed25519.js';
import { asBufferSource, toHex } from './bytes';
import { CryptoInputError } from './errors';

export type SignatureAlg = 'ed25519' | 'ecdsa-p256';

const PUBLIC_KEY_LENGTH: Record<SignatureAlg, number> = { ed25519: 32, 'ecdsa-p256': 65 };
const SIGNATURE_LENGTH: Record<SignatureAlg, number> = { ed25519: 64, 'ecdsa-p256': 64 };

function importParams(alg: SignatureAlg): AlgorithmIdentifier | EcKeyImportParams {
  return alg === 'ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
}

function signParams(alg: SignatureAlg): AlgorithmIdentifier | EcdsaParams {
  return alg === 'ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
}

function assertAlg(alg: SignatureAlg): void {
  if (alg !== 'ed25519' && alg !== 'ecdsa-p256') {
    throw new CryptoInputError('unknown-suite', 'This signature algorithm is not supported.');
  }
}

let detected: Promise<SignatureAlg> | undefined;

/** Ed25519 if this runtime's WebCrypto can generate and use Ed25519 keys, else ECDSA P-256. */
export function detectSignatureAlg(): Promise<SignatureAlg> {
  detected ??= (async (): Promise<SignatureAlg> => {
    try {
      const pair = (await globalThis.crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const probe = new Uint8Array([1, 2, 3]);
      const signature = await globalThis.crypto.subtle.sign('Ed25519', pair.privateKey, probe);
      const ok = await globalThis.crypto.subtle.verify('Ed25519', pair.publicKey, signature, probe);
      return ok ? 'ed25519' : 'ecdsa-p256';
    } catch {
      return 'ecdsa-p256';
    }
  })();
  return detected;
}

export async function generateSigningKeyPair(
  alg: SignatureAlg,
): Promise<{ privateKey: CryptoKey; publicKey: Uint8Array<ArrayBuffer> }> {
  assertAlg(alg);
  const pair = (await globalThis.crypto.subtle.generateKey(importParams(alg), false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey };
}

/** Ed25519: 64 bytes. ECDSA P-256: r || s, 64 bytes (WebCrypto's P1363 encoding). */
export async function sign(
  alg: SignatureAlg,
  privateKey: CryptoKey,
  message: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  assertAlg(alg);
  return new Uint8Array(
    await globalThis.crypto.subtle.sign(signParams(alg), privateKey, asBufferSource(message)),
  );
}

/**
 * Ed25519 verification in plain JS (RFC 8032 strict: canonical encodings, s < L), for
 * runtimes whose WebCrypto lacks Ed25519: they sign with ECDSA but must still verify
 * the Ed25519 peers in the same room.
 */
export function verifyEd25519Portable(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

// Public keys are not secret, and history sync verifies thousands of messages from a
// handful of authors: importing the author's key once instead of per message halves the
// cost of a catch-up. Bounded, oldest evicted first, so a flood of keys can't grow it.
const VERIFY_KEY_CACHE_LIMIT = 256;
const verifyKeys = new Map<string, Promise<CryptoKey>>();

function importVerifyKey(alg: SignatureAlg, publicKey: Uint8Array): Promise<CryptoKey> {
  const id = `${alg}:${toHex(publicKey)}`;
  let key = verifyKeys.get(id);
  if (!key) {
    key = globalThis.crypto.subtle.importKey(
      'raw',
      asBufferSource(publicKey),
      importParams(alg),
      false,
      ['verify'],
    );
    // A key that fails to import (an invalid point) is not remembered.
    key.catch(() => verifyKeys.delete(id));
    verifyKeys.set(id, key);
    if (verifyKeys.size > VERIFY_KEY_CACHE_LIMIT) {
      verifyKeys.delete(verifyKeys.keys().next().value as string);
    }
  }
  return key;
}

/** False (never a throw) for a wrong signature, a malformed key or signature, or an unknown alg. */
export async function verifySignature(
  alg: SignatureAlg,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (alg !== 'ed25519' && alg !== 'ecdsa-p256') return false;
  if (publicKey.length !== PUBLIC_KEY_LENGTH[alg]) return false;
  if (signature.length !== SIGNATURE_LENGTH[alg]) return false;
  if (alg === 'ecdsa-p256' && publicKey[0] !== 0x04) return false;
  if (alg === 'ed25519' && (await detectSignatureAlg()) !== 'ed25519') {
    return verifyEd25519Portable(publicKey, message, signature);
  }
  try {
    const key = await importVerifyKey(alg, publicKey);
    return await globalThis.crypto.subtle.verify(
      signParams(alg),
      key,
      asBufferSource(signature),
      asBufferSource(message),
    );
  } catch {
    return false;
  }
}
