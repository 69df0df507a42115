// Persisting the device identity where no IndexedDB can hold its CryptoKey (Node, the
// terminal client): the private key is sealed under the device data key (sealed-record.ts)
// and the caller stores the opaque bytes in a file. Restoring gives the same key pair, so
// peers keep seeing the identity they pinned instead of a key-change warning.
//
// Plaintext: alg byte (1 Ed25519, 2 ECDSA P-256) || raw public key (32 or 65) || PKCS#8.
import {
  exportIdentityPkcs8,
  importDeviceIdentity,
  type DeviceIdentity,
  type SealableIdentity,
  type SignatureAlg,
} from '../identity';
import { concatBytes } from '../primitives/bytes';
import { failure, type Result } from '../result';
import { openSealedRecord, sealRecord } from './sealed-record';

/** An identity handle's entry; `extractableKey` only for identities made to be sealed. */
export interface IdentityEntry {
  readonly kind: 'identity';
  readonly identity: DeviceIdentity;
  readonly extractableKey?: CryptoKey;
}

/** exportIdentitySealed on an identity whose private key can't be exported (a bug). */
export class IdentityNotSealableError extends Error {
  override readonly name = 'IdentityNotSealableError';
}

const ALG_BYTE: Record<SignatureAlg, number> = { ed25519: 1, 'ecdsa-p256': 2 };
const PUBLIC_KEY_LENGTH: Record<SignatureAlg, number> = { ed25519: 32, 'ecdsa-p256': 65 };
const IDENTITY_CONTEXT = 'device-identity';

export async function sealIdentity(entry: IdentityEntry, dataKey: Uint8Array): Promise<Uint8Array> {
  if (!entry.extractableKey) {
    throw new IdentityNotSealableError(
      'This identity was not created with createSealableIdentity, so it cannot be saved this way.',
    );
  }
  const sealable: SealableIdentity = {
    identity: entry.identity,
    extractableKey: entry.extractableKey,
  };
  const pkcs8 = await exportIdentityPkcs8(sealable);
  const plaintext = concatBytes(
    new Uint8Array([ALG_BYTE[entry.identity.alg]]),
    entry.identity.publicKey,
    pkcs8,
  );
  pkcs8.fill(0);
  try {
    return await sealRecord(dataKey, 'identity', IDENTITY_CONTEXT, plaintext);
  } finally {
    plaintext.fill(0);
  }
}

function algFromByte(byte: number | undefined): SignatureAlg | undefined {
  return (Object.keys(ALG_BYTE) as SignatureAlg[]).find((alg) => ALG_BYTE[alg] === byte);
}

/** The identity back, its private key non-extractable; a typed failure for any bad record. */
export async function openSealedIdentity(
  dataKey: Uint8Array,
  stored: unknown,
): Promise<Result<DeviceIdentity>> {
  const opened = await openSealedRecord(dataKey, 'identity', stored);
  if (!opened.ok) return opened;
  const plaintext = opened.value.plaintext;
  try {
    if (opened.value.context !== IDENTITY_CONTEXT) {
      return failure('malformed', 'This record does not hold a saved identity.');
    }
    const alg = algFromByte(plaintext[0]);
    if (!alg) return failure('unknown-suite', 'The saved identity uses an unknown algorithm.');
    const keyEnd = 1 + PUBLIC_KEY_LENGTH[alg];
    if (plaintext.length <= keyEnd) {
      return failure('truncated', 'The saved identity is incomplete.');
    }
    return await importDeviceIdentity(alg, plaintext.subarray(keyEnd), plaintext.slice(1, keyEnd));
  } finally {
    plaintext.fill(0);
  }
}
