import type { FailureReason } from '../result';

/**
 * Thrown by sealing/deriving functions when the caller passes input that can never be
 * valid (a key or nonce of the wrong length, an unknown suite). Opening functions never
 * throw this: they return a `Failure` instead, because their input comes from peers.
 */
export class CryptoInputError extends Error {
  override readonly name = 'CryptoInputError';
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}
