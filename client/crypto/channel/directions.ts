// The two directions of an open channel: sealing frames on our chain, opening frames on
// the peer's. Each frame gets the next key of its direction's ratchet, a counter nonce and
// its header (epoch, seq, kind) as associated data. Sequence numbers run across epochs,
// so a replayed or reordered frame is named as such before any decryption is tried.
import type { Aead } from '../primitives/aead';
import { failure, success, type Result } from '../result';
import type { Chain, ChainSnapshot } from './chain';
import { frameNonce } from './ratchet';
import {
  decodeFrameHeader,
  encodeFrameHeader,
  FRAME_DATA,
  FRAME_HEADER_LENGTH,
  type FrameHeader,
  type FrameKind,
} from './wire';

export class SendingDirection {
  #chain: Chain;
  #nextSeq = 0;
  /**
   * Data messages since this direction entered its epoch: the ones we sent, plus (counted
   * by the channel) the ones we received. Re-key offers and answers do not count.
   */
  messagesInEpoch = 0;
  epochStartedAt: number;

  constructor(
    private readonly aead: Aead,
    chain: Chain,
    now: number,
  ) {
    this.#chain = chain;
    this.epochStartedAt = now;
  }

  get epoch(): number {
    return this.#chain.epoch;
  }

  async seal(kind: FrameKind, payload: Uint8Array): Promise<Uint8Array> {
    const chain = this.#chain;
    const seq = this.#nextSeq;
    const header = encodeFrameHeader({ epoch: chain.epoch, seq, kind });
    const nonce = frameNonce(this.aead.nonceLength, chain.epoch, seq);
    this.#nextSeq = seq + 1;
    if (kind === FRAME_DATA) this.messagesInEpoch += 1;
    let sealed: Uint8Array;
    try {
      const sealing = this.aead.sealPrepared(await chain.nextFrameKey(), nonce, payload, header);
      // The encryption is under way off the main thread: import the next frame's key now.
      chain.prepareAhead();
      sealed = await sealing;
    } finally {
      // Even if sealing failed, this key and sequence number are never used again.
      chain.advance();
    }
    // One copy, to put the header in front: WebCrypto cannot write at an offset.
    const frame = new Uint8Array(FRAME_HEADER_LENGTH + sealed.length);
    frame.set(header);
    frame.set(sealed, FRAME_HEADER_LENGTH);
    return frame;
  }

  /** Moves to the next epoch's chain; the old chain key is overwritten. */
  switchTo(chain: Chain, now: number): void {
    this.#chain.erase();
    this.#chain = chain;
    this.messagesInEpoch = 0;
    this.epochStartedAt = now;
  }

  erase(): void {
    this.#chain.erase();
  }

  snapshot(): ChainSnapshot & { readonly nextSeq: number } {
    return { ...this.#chain.snapshot(), nextSeq: this.#nextSeq };
  }
}

export interface OpenedFrame {
  readonly header: FrameHeader;
  readonly payload: Uint8Array;
}

export class ReceivingDirection {
  #current: Chain;
  /** The next epoch's chain, ready for the peer's first frame after a re-key. */
  #pending: Chain | null = null;
  #nextSeq = 0;

  constructor(
    private readonly aead: Aead,
    chain: Chain,
  ) {
    this.#current = chain;
  }

  get hasPending(): boolean {
    return this.#pending !== null;
  }

  /** After we answered a re-key: the peer may still send frames of the old epoch first. */
  expect(chain: Chain): void {
    this.#pending?.erase();
    this.#pending = chain;
  }

  /** After the peer answered our re-key: its answer was its last old-epoch frame. */
  switchTo(chain: Chain): void {
    this.#current.erase();
    this.#pending?.erase();
    this.#pending = null;
    this.#current = chain;
  }

  async open(bytes: Uint8Array): Promise<Result<OpenedFrame>> {
    const parsed = decodeFrameHeader(bytes);
    if (!parsed.ok) return parsed;
    const header = parsed.value;
    const current = this.#current;
    const pending = this.#pending;
    let chain: Chain;
    if (header.epoch === current.epoch) chain = current;
    else if (pending && header.epoch === pending.epoch) chain = pending;
    else if (header.epoch < current.epoch) {
      return failure('replay', 'A frame from an earlier key epoch arrived again and was dropped.');
    } else {
      return failure('out-of-order', 'A frame arrived before the re-key that starts its epoch.');
    }
    if (header.seq < this.#nextSeq) {
      return failure('replay', 'A frame that was already received arrived again and was dropped.');
    }
    if (header.seq > this.#nextSeq) {
      return failure(
        'out-of-order',
        'A frame arrived before earlier ones: some frames are missing.',
      );
    }
    const opening = this.aead.openPrepared(
      await chain.nextFrameKey(),
      frameNonce(this.aead.nonceLength, header.epoch, header.seq),
      bytes.subarray(FRAME_HEADER_LENGTH),
      bytes.subarray(0, FRAME_HEADER_LENGTH),
    );
    // While this frame is decrypted off the main thread, import the next one's key. It is a
    // key for a frame not yet received, so holding it early costs no forward secrecy, and a
    // rejected frame leaves it valid for the genuine one.
    chain.prepareAhead();
    const opened = await opening;
    if (!opened.ok) {
      return failure(
        'bad-tag',
        'A frame from the peer was altered or forged and has been dropped.',
      );
    }
    // Authenticated: commit. The first frame of a new epoch retires the old chain.
    if (chain === pending) {
      current.erase();
      this.#current = pending;
      this.#pending = null;
    }
    chain.advance();
    this.#nextSeq = header.seq + 1;
    return success({ header, payload: opened.value });
  }

  erase(): void {
    this.#current.erase();
    this.#pending?.erase();
  }

  snapshot(): {
    current: ChainSnapshot & { readonly nextSeq: number };
    pending: ChainSnapshot | null;
  } {
    return {
      current: { ...this.#current.snapshot(), nextSeq: this.#nextSeq },
      pending: this.#pending?.snapshot() ?? null,
    };
  }
}
