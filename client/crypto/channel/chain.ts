// One direction's symmetric ratchet within one key epoch. The chain key moves forward one
// step per frame and the previous value is overwritten, so a key captured now cannot
// reach back to frames already sent (forward secrecy).
import { ratchetStep, type RatchetStep } from './ratchet';

export interface ChainSnapshot {
  readonly epoch: number;
  readonly chainKey: Uint8Array;
}

export class Chain {
  #key: Uint8Array;

  constructor(
    readonly epoch: number,
    chainKey: Uint8Array,
  ) {
    this.#key = chainKey;
  }

  /** The key for the next frame; nothing moves until advance() (a failed open keeps state). */
  peek(keyLength: number): RatchetStep {
    return ratchetStep(this.#key, keyLength);
  }

  /** Moves to the chain key from peek() and overwrites the old one. */
  advance(step: RatchetStep): void {
    this.#key.fill(0);
    this.#key = step.nextChainKey;
  }

  erase(): void {
    this.#key.fill(0);
  }

  /** A copy of the secret state: only for tests that play a thief who dumped memory. */
  snapshot(): ChainSnapshot {
    return { epoch: this.epoch, chainKey: this.#key.slice() };
  }
}
