// The device's long-term identity (DESIGN.md section 5): a signing key pair whose private
// half is a non-extractable CryptoKey. The whole DeviceIdentity object is structured-
// cloneable, so it is stored in IndexedDB as is; the key bytes can never be read back.
//
// Where there is no IndexedDB (Node, the terminal client) a CryptoKey cannot be kept
// between runs, so a "sealable" identity also exists: the worker holds a second,
// extractable copy of its private key, exports it (PKCS#8) only to encrypt it under the
// device data key (worker-api/sealed-identity.ts), and re-imports it non-extractable.
import { asBufferSource, toHex, utf8 } from './primitives/bytes';
import { CryptoInputError } from './primitives/errors';
import { sha256 } from './primitives/kdf';
import {
  detectSignatureAlg,
  generateSigningKeyPair,
  sign,
  verifySignature,
  type SignatureAlg,
} from './primitives/signature';
import { failure, success, type Result } from './result';

export type { SignatureAlg } from './primitives/signature';

export interface PublicIdentity {
  readonly alg: SignatureAlg;
  /** Raw public key: 32 bytes (Ed25519) or 65 bytes uncompressed (ECDSA P-256). */
  readonly publicKey: Uint8Array;
}

export interface DeviceIdentity extends PublicIdentity {
  readonly privateKey: CryptoKey;
}

export class CanonicalEncodingError extends Error {
  override readonly name = 'CanonicalEncodingError';
}

const ENVELOPE_DOMAIN = 'p2pchat/envelope/v1\u0000';

const PUBLIC_KEY_LENGTH: Record<SignatureAlg, number> = { ed25519: 32, 'ecdsa-p256': 65 };

export function isSignatureAlg(value: unknown): value is SignatureAlg {
  return value === 'ed25519' || value === 'ecdsa-p256';
}

/** Ed25519 where the runtime has it, else ECDSA P-256 (or the algorithm asked for). */
export async function createDeviceIdentity(alg?: SignatureAlg): Promise<DeviceIdentity> {
  const chosen = alg ?? (await detectSignatureAlg());
  const pair = await generateSigningKeyPair(chosen);
  return { alg: chosen, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** A device identity whose private key can also be exported, inside the worker only. */
export interface SealableIdentity {
  /** Signs with a non-extractable copy, like any other identity. */
  readonly identity: DeviceIdentity;
  /** The same private key, extractable: read only by exportIdentityPkcs8. */
  readonly extractableKey: CryptoKey;
}

function keyParams(alg: SignatureAlg): AlgorithmIdentifier | EcKeyImportParams {
  return alg === 'ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
}

/** As createDeviceIdentity, plus an extractable copy of the private key for sealing. */
export async function createSealableDeviceIdentity(alg?: SignatureAlg): Promise<SealableIdentity> {
  const chosen = alg ?? (await detectSignatureAlg());
  if (!isSignatureAlg(chosen)) {
    throw new CryptoInputError('unknown-suite', 'This signature algorithm is not supported.');
  }
  const subtle = globalThis.crypto.subtle;
  const pair = (await subtle.generateKey(keyParams(chosen), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  try {
    // Signing uses a non-extractable copy, so saveIdentity() stores the same kind of key
    // as for any other identity and parseStoredIdentity() accepts it.
    const privateKey = await subtle.importKey('pkcs8', pkcs8, keyParams(chosen), false, ['sign']);
    return {
      identity: { alg: chosen, privateKey, publicKey },
      extractableKey: pair.privateKey,
    };
  } finally {
    pkcs8.fill(0);
  }
}

/** The private key's PKCS#8 bytes. The caller encrypts them and then zeroes them. */
export async function exportIdentityPkcs8(sealable: SealableIdentity): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', sealable.extractableKey));
}

const PAIR_PROBE = utf8('p2pchat/identity-pair-probe/v1');

/**
 * Re-imports a private key from PKCS#8 as a non-extractable CryptoKey and checks that it
 * belongs to `publicKey` (a key that did not would sign what no peer can verify under the
 * key they pinned). Never throws: damaged input is a typed failure.
 */
export async function importDeviceIdentity(
  alg: unknown,
  pkcs8: Uint8Array,
  publicKey: Uint8Array,
): Promise<Result<DeviceIdentity>> {
  if (!isSignatureAlg(alg)) {
    return failure('unknown-suite', 'The stored identity uses an unknown algorithm.');
  }
  if (publicKey.length !== PUBLIC_KEY_LENGTH[alg]) {
    return failure('bad-length', 'The stored identity has a public key of the wrong size.');
  }
  let privateKey: CryptoKey;
  let probe: Uint8Array;
  try {
    privateKey = await globalThis.crypto.subtle.importKey(
      'pkcs8',
      asBufferSource(pkcs8),
      keyParams(alg),
      false,
      ['sign'],
    );
    probe = await sign(alg, privateKey, PAIR_PROBE);
  } catch {
    // Unreadable PKCS#8, a curve mismatch, or an algorithm this runtime lacks.
    return failure('malformed', 'The stored identity key cannot be used on this device.');
  }
  if (!(await verifySignature(alg, publicKey, PAIR_PROBE, probe))) {
    return failure('bad-signature', "The stored identity's private and public keys do not match.");
  }
  return success({ alg, privateKey, publicKey: publicKey.slice() });
}

/**
 * Checks an identity read back from storage (it crossed a trust boundary: the database
 * may be old, corrupt or from another version). The private key must be non-extractable.
 */
export function parseStoredIdentity(value: unknown): Result<DeviceIdentity> {
  if (typeof value !== 'object' || value === null) {
    return failure('malformed', 'The stored identity is missing or unreadable.');
  }
  const { alg, privateKey, publicKey } = value as Record<string, unknown>;
  if (!isSignatureAlg(alg))
    return failure('unknown-suite', 'The stored identity uses an unknown algorithm.');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_LENGTH[alg]) {
    return failure('bad-length', 'The stored identity has a public key of the wrong size.');
  }
  if (
    typeof CryptoKey === 'undefined' ||
    !(privateKey instanceof CryptoKey) ||
    privateKey.type !== 'private' ||
    privateKey.extractable ||
    !privateKey.usages.includes('sign')
  ) {
    return failure('malformed', 'The stored identity has no usable non-extractable private key.');
  }
  return success({ alg, privateKey, publicKey });
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalEncodingError('Numbers must be finite.');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  // undefined, bigint, functions, typed arrays, dates... have no single JSON spelling.
  throw new CanonicalEncodingError(
    `A signed envelope may hold only JSON values (strings, finite numbers, booleans, null, arrays, plain objects), not ${typeof value}.`,
  );
}

/**
 * The exact bytes an envelope signature covers: a domain label, then JSON with object
 * keys sorted and no whitespace, so author and any relaying peer encode it identically.
 */
export function canonicalEnvelopeBytes(envelope: unknown): Uint8Array {
  return utf8(ENVELOPE_DOMAIN + canonicalJson(envelope));
}

export function signEnvelope(identity: DeviceIdentity, envelope: unknown): Promise<Uint8Array> {
  return sign(identity.alg, identity.privateKey, canonicalEnvelopeBytes(envelope));
}

export async function verifyEnvelope(
  author: PublicIdentity,
  envelope: unknown,
  signature: Uint8Array,
): Promise<Result<void>> {
  let bytes: Uint8Array;
  try {
    bytes = canonicalEnvelopeBytes(envelope);
  } catch {
    return failure('malformed', 'This message cannot be checked: it is not a plain JSON value.');
  }
  const ok = await verifySignature(author.alg, author.publicKey, bytes, signature);
  return ok
    ? success(undefined)
    : failure('bad-signature', "This message's signature does not match its author's key.");
}

/** A stable hex id for an identity key (pinning, display): SHA-256 over alg and key. */
export async function identityFingerprint(identity: PublicIdentity): Promise<string> {
  const algBytes = utf8(identity.alg + '\u0000');
  const input = new Uint8Array(algBytes.length + identity.publicKey.length);
  input.set(algBytes);
  input.set(identity.publicKey, algBytes.length);
  return toHex(await sha256(input));
}
