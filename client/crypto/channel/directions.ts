// The two directions of an open channel: sealing frames on our chain, opening frames on
// the peer's. Each frame gets the next key of its direction's ratchet, a counter nonce and
// its header (epoch, seq, kind) as associated data. Sequence numbers run across epochs,
// so a replayed or reordered frame is named as such before any decryption is tried.
// Large frames travel as two messages, header then body (see wire.ts), so the ciphertext
// WebCrypto returns is sent as is.
import type { Aead } from '../primitives/aead';
import { failure, success, type Result } from '../result';
import type { Chain, ChainSnapshot } from './chain';
import { frameNonce } from './ratchet';
import {
  decodeFrameHeader,
  encodeFrameHeader,
  FRAME_DATA,
  FRAME_HEADER_LENGTH,
  isSplitHeader,
  SPLIT_FRAME_MIN_PAYLOAD,
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

  /**
   * Seals one frame: a single message, or for payloads of SPLIT_FRAME_MIN_PAYLOAD bytes and
   * more a header and then the body (WebCrypto's output as is, never copied).
   */
  async seal(kind: FrameKind, payload: Uint8Array): Promise<Uint8Array[]> {
    const split = payload.length >= SPLIT_FRAME_MIN_PAYLOAD;
    const { header, sealed } = await this.#sealParts(kind, payload, split);
    return split ? [header, sealed] : [joinFrame(header, sealed)];
  }

  /** Seals a small control frame (close, re-key): always a single message. */
  async sealSingle(kind: FrameKind, payload: Uint8Array): Promise<Uint8Array> {
    const { header, sealed } = await this.#sealParts(kind, payload, false);
    return joinFrame(header, sealed);
  }

  async #sealParts(
    kind: FrameKind,
    payload: Uint8Array,
    split: boolean,
  ): Promise<{ header: Uint8Array; sealed: Uint8Array }> {
    const chain = this.#chain;
    const seq = this.#nextSeq;
    const header = encodeFrameHeader({ epoch: chain.epoch, seq, kind, split });
    const nonce = frameNonce(this.aead.nonceLength, chain.epoch, seq);
    this.#nextSeq = seq + 1;
    if (kind === FRAME_DATA) this.messagesInEpoch += 1;
    try {
      const sealing = this.aead.sealPrepared(await chain.nextFrameKey(), nonce, payload, header);
      // The encryption is under way off the main thread: import the next frame's key now.
      chain.prepareAhead();
      return { header, sealed: await sealing };
    } finally {
      // Even if sealing failed, this key and sequence number are never used again.
      chain.advance();
    }
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

/** One copy, to put the header in front: WebCrypto cannot write at an offset. */
function joinFrame(header: Uint8Array, sealed: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_LENGTH + sealed.length);
  frame.set(header);
  frame.set(sealed, FRAME_HEADER_LENGTH);
  return frame;
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
  /** A split frame's header, checked, waiting for its body (the next message). */
  #pendingHeader: { readonly header: FrameHeader; readonly bytes: Uint8Array } | null = null;

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

  /**
   * Opens one received message. A split header is checked (epoch, sequence) and kept until
   * the next message, its body, arrives: then the result is null. Whatever fails leaves the
   * chains untouched; a body that fails authentication also drops the header it was paired
   * with (the pair was a forgery or a mix-up, and a genuine pair opens afterwards).
   */
  async open(bytes: Uint8Array): Promise<Result<OpenedFrame | null>> {
    const pending = this.#pendingHeader;
    if (pending) {
      if (isSplitHeader(bytes)) {
        return failure('out-of-order', 'A frame header arrived where a frame body was expected.');
      }
      this.#pendingHeader = null;
      return this.#authenticate(pending.header, pending.bytes, bytes);
    }
    const parsed = decodeFrameHeader(bytes);
    if (!parsed.ok) return parsed;
    const header = parsed.value;
    const chosen = this.#chainFor(header);
    if (!chosen.ok) return chosen;
    if (header.split) {
      // A copy of 14 bytes: the caller may reuse or transfer its buffer.
      this.#pendingHeader = { header, bytes: bytes.slice() };
      return success(null);
    }
    return this.#authenticate(
      header,
      bytes.subarray(0, FRAME_HEADER_LENGTH),
      bytes.subarray(FRAME_HEADER_LENGTH),
    );
  }

  /** The chain a header's epoch and sequence number point to, or why there is none. */
  #chainFor(header: FrameHeader): Result<Chain> {
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
    return success(chain);
  }

  async #authenticate(
    header: FrameHeader,
    headerBytes: Uint8Array,
    body: Uint8Array,
  ): Promise<Result<OpenedFrame>> {
    // Checked again for a split header: cheap, and it keeps this the one place that commits.
    const chosen = this.#chainFor(header);
    if (!chosen.ok) return chosen;
    const chain = chosen.value;
    const opening = this.aead.openPrepared(
      await chain.nextFrameKey(),
      frameNonce(this.aead.nonceLength, header.epoch, header.seq),
      body,
      headerBytes,
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
    if (chain === this.#pending) {
      this.#current.erase();
      this.#current = chain;
      this.#pending = null;
    }
    chain.advance();
    this.#nextSeq = header.seq + 1;
    return success({ header, payload: opened.value });
  }

  erase(): void {
    this.#current.erase();
    this.#pending?.erase();
    this.#pendingHeader = null;
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
