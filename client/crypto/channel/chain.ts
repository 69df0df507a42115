// One direction's symmetric ratchet within one key epoch. The chain key moves forward one
// step per frame and the previous value is overwritten, so a key captured now cannot
// reach back to frames already sent (forward secrecy).
//
// Pipelining: a frame's key is a one-use WebCrypto key, and importing it costs main-thread
// time comparable to a third of a 64 KiB AES-GCM encryption. So while frame n is being
// sealed or opened (off the main thread), the chain already derives and imports the key
// for frame n + 1 (prepareAhead). The raw bytes of a prepared key are zeroed as soon as
// they are imported; what the chain holds is only ever keys for frames not yet processed
// (at most two: the next frame's and, during an open, the one after), never a past one.
import type { Aead, PreparedKey } from '../primitives/aead';
import { ratchetStep } from './ratchet';

export interface ChainSnapshot {
  readonly epoch: number;
  /** The chain key for the next frame. */
  readonly chainKey: Uint8Array;
  /** Frame keys already prepared, the next frame's first (a thief gets these too). */
  readonly preparedKeys: readonly Promise<PreparedKey>[];
}

interface PreparedStep {
  readonly key: Promise<PreparedKey>;
  /** The chain key after this step's frame. */
  readonly chainKeyAfter: Uint8Array;
}

/** How far ahead keys are prepared: the next frame's key and the one after it. */
const MAX_AHEAD = 2;

export class Chain {
  #key: Uint8Array;
  /** Steps derived ahead of #key, in frame order: #ahead[0] is the next frame's. */
  #ahead: PreparedStep[] = [];

  constructor(
    readonly epoch: number,
    chainKey: Uint8Array,
    private readonly aead: Aead,
  ) {
    this.#key = chainKey;
  }

  /** The key for the next frame (prepared now unless already ahead); nothing moves. */
  nextFrameKey(): Promise<PreparedKey> {
    return this.#stepAt(0).key;
  }

  /**
   * Derives and starts importing the key for the frame after the next one. Call it right
   * after dispatching the next frame's seal/open, so the import overlaps that work.
   */
  prepareAhead(): void {
    this.#stepAt(MAX_AHEAD - 1);
  }

  /**
   * Moves past the next frame (call once it was sealed, or opened and authenticated):
   * its chain key is overwritten and its frame key erased.
   */
  advance(): void {
    const step = this.#stepAt(0);
    this.#ahead.shift();
    this.#key.fill(0);
    this.#key = step.chainKeyAfter;
    eraseWhenReady(step.key);
  }

  erase(): void {
    this.#key.fill(0);
    for (const step of this.#ahead) {
      step.chainKeyAfter.fill(0);
      eraseWhenReady(step.key);
    }
    this.#ahead = [];
  }

  /** A copy of the secret state: only for tests that play a thief who dumped memory. */
  snapshot(): ChainSnapshot {
    return {
      epoch: this.epoch,
      chainKey: this.#key.slice(),
      preparedKeys: this.#ahead.map((step) => step.key),
    };
  }

  #stepAt(index: number): PreparedStep {
    while (this.#ahead.length <= index) {
      const from = this.#ahead.at(-1)?.chainKeyAfter ?? this.#key;
      const step = ratchetStep(from, this.aead.keyLength);
      // prepareKey copies the bytes before returning: the raw message key goes at once.
      const key = this.aead.prepareKey(step.messageKey);
      step.messageKey.fill(0);
      // Whoever awaits the key sees a failure; this only keeps it from going unhandled.
      key.catch(() => undefined);
      this.#ahead.push({ key, chainKeyAfter: step.nextChainKey });
    }
    return this.#ahead[index]!;
  }
}

function eraseWhenReady(key: Promise<PreparedKey>): void {
  key.then(
    (prepared) => prepared.erase(),
    () => undefined,
  );
}
