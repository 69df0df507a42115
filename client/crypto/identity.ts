// The device's long-term identity (DESIGN.md section 5): a signing key pair whose private
// half is a non-extractable CryptoKey. The whole DeviceIdentity object is structured-
// cloneable, so it is stored in IndexedDB as is; the key bytes can never be read back.
import { toHex, utf8 } from './primitives/bytes';
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
