// The shape every AEAD in this folder shares, and the input checks they all apply.
import { failure, type Failure, type Result } from '../result';
import { CryptoInputError } from './errors';

/** An AEAD construction with fixed key, nonce and tag sizes. */
export interface AeadAlgorithm {
  /** A human-readable name for messages and logs (never key material). */
  readonly name: string;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  /** Returns ciphertext || tag. Throws CryptoInputError on a wrong key or nonce length. */
  seal(
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): Promise<Uint8Array<ArrayBuffer>>;
  /** Never throws: a wrong key, tampered data or wrong-length input is a Failure. */
  open(
    key: Uint8Array,
    nonce: Uint8Array,
    sealed: Uint8Array,
    aad: Uint8Array,
  ): Promise<Result<Uint8Array<ArrayBuffer>>>;
}

export function assertSealInputs(alg: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== alg.keyLength) {
    throw new CryptoInputError('bad-length', `${alg.name} needs a ${alg.keyLength}-byte key.`);
  }
  if (nonce.length !== alg.nonceLength) {
    throw new CryptoInputError('bad-length', `${alg.name} needs a ${alg.nonceLength}-byte nonce.`);
  }
}

/** The failure for inputs that cannot be opened at all, or null when they are well-formed. */
export function openInputFailure(
  alg: AeadAlgorithm,
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
): Failure | null {
  if (key.length !== alg.keyLength || nonce.length !== alg.nonceLength) {
    return failure('bad-length', `${alg.name} was given a key or nonce of the wrong length.`);
  }
  if (sealed.length < alg.tagLength) return badTag(alg);
  return null;
}

/** The one uniform authentication failure: it never says which check failed. */
export function badTag(alg: AeadAlgorithm): Failure {
  return failure('bad-tag', `${alg.name}: the data was altered or the key is wrong.`);
}
