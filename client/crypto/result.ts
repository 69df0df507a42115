// Every open/verify in client/crypto returns a Result instead of throwing: callers
// must handle failure, and no raw library error (or partial plaintext) escapes.

export type FailureReason =
  /** Authentication failed: wrong key, flipped bit, forged tag (one uniform reason). */
  | 'bad-tag'
  /** A sequence number or chunk index that was already accepted. */
  | 'replay'
  /** A frame or chunk that arrived before its predecessors. */
  | 'out-of-order'
  /** A stream that ended before its final chunk, or input cut short. */
  | 'truncated'
  /** An input of the wrong length (key, nonce, public key, signature...). */
  | 'bad-length'
  /** An invalid or low-order curve point, or an all-zero shared secret. */
  | 'bad-point'
  | 'bad-signature'
  | 'bad-mac'
  | 'unknown-suite'
  | 'unsupported-version'
  | 'fingerprint-mismatch'
  /** Input that does not parse (a link, an encoding, a handshake message). */
  | 'malformed'
  | 'wrong-state';

export interface Failure {
  readonly ok: false;
  readonly reason: FailureReason;
  /** A sentence a person can act on; never contains key material or plaintext. */
  readonly message: string;
}

export interface Success<T> {
  readonly ok: true;
  readonly value: T;
}

export type Result<T> = Success<T> | Failure;

export function success<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function failure(reason: FailureReason, message: string): Failure {
  return { ok: false, reason, message };
}
