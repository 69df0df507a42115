// The pairwise secure channel as a transport-free state machine (DESIGN.md section 4).
// Bytes in (receive), bytes out (the frames it returns): the caller moves them over a data
// channel, in order. States: awaiting-hello -> awaiting-auth -> open; any handshake
// failure -> failed (terminal). A bad frame on an open channel is rejected and leaves the
// state untouched, so the genuine next frame still opens.
//
// Re-keying: a side sends a REKEY_OFFER (fresh ephemeral) after rekeyAfterMessages frames
// or rekeyAfterMs; the peer answers with its own ephemeral (REKEY_ANSWER) and both move to
// epoch + 1 with keys from HKDF(ECDH(new ephemerals), old root). Frames in flight across a
// re-key still open: the receiver keeps the old epoch's chain until the first frame of the
// new epoch arrives, then erases it. Offers that cross are both honoured (no answer needed).
import { aeadFor, type Aead } from '../primitives/aead';
import { deriveSharedSecret, generateEphemeral } from '../primitives/ecdh';
import type { PublicIdentity } from '../identity';
import { failure, success, type Failure, type Result } from '../result';
import { Chain, type ChainSnapshot } from './chain';
import { ReceivingDirection, SendingDirection } from './directions';
import {
  acceptPeerHello,
  createHello,
  verifyPeerAuth,
  type HandshakeOptions,
  type HandshakeProgress,
  type LocalHello,
  type Position,
} from './handshake';
import { deriveRekeyKeys, type EpochKeys } from './ratchet';
import {
  FRAME_CLOSE,
  FRAME_DATA,
  FRAME_REKEY_ANSWER,
  FRAME_REKEY_OFFER,
  messageType,
  MESSAGE_AUTH,
  MESSAGE_HELLO,
} from './wire';

export const REKEY_AFTER_MESSAGES = 100;
export const REKEY_AFTER_MS = 10 * 60 * 1000;

export interface ChannelOptions extends HandshakeOptions {
  /**
   * A re-key offer goes out with the message that would be the Nth of an epoch, counting
   * both directions (default 100).
   */
  readonly rekeyAfterMessages?: number;
  readonly rekeyAfterMs?: number;
  /** Injected clock (tests); Date.now by default. */
  readonly now?: () => number;
}

export type ChannelState = 'awaiting-hello' | 'awaiting-auth' | 'open' | 'failed';

export interface ReceiveOutcome {
  /** Messages to send to the peer now, in this order (handshake auth, re-key answer). */
  readonly reply: Uint8Array[];
  /** Application data carried by this frame, if any. */
  readonly message: Uint8Array | null;
  /** The peer's verified identity, on the one call that completes the handshake. */
  readonly established: PublicIdentity | null;
  /** True when this frame was the peer's authenticated close. */
  readonly closed: boolean;
}

/** Secret state copied out for tests that model a thief who dumped the device's memory. */
export interface CapturedChannelState {
  readonly position: Position;
  readonly rootKey: Uint8Array;
  readonly send: ChainSnapshot & { readonly nextSeq: number };
  readonly receive: ChainSnapshot & { readonly nextSeq: number };
  readonly pendingReceive: ChainSnapshot | null;
}

interface PendingOffer {
  readonly epoch: number;
  readonly privateKey: CryptoKey;
  readonly publicKey: Uint8Array;
}

const NOTHING: Omit<ReceiveOutcome, 'reply'> = { message: null, established: null, closed: false };

export class SecureChannel {
  #state: ChannelState = 'awaiting-hello';
  readonly #options: ChannelOptions;
  readonly #aead: Aead;
  readonly #now: () => number;
  #local: LocalHello | null;
  #progress: HandshakeProgress | null = null;
  #position: Position = 'low';
  #peerIdentity: PublicIdentity | null = null;
  #rootKey: Uint8Array = new Uint8Array(0);
  #send: SendingDirection | null = null;
  #receive: ReceivingDirection | null = null;
  #pendingOffer: PendingOffer | null = null;
  #sendClosed = false;
  #receiveClosed = false;
  /** Serialises every operation: each one reads and then commits chain state. */
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(options: ChannelOptions, local: LocalHello) {
    this.#options = options;
    this.#aead = aeadFor(options.suite);
    this.#now = options.now ?? Date.now;
    this.#local = local;
  }

  /** Starts a handshake: send `hello` to the peer, then feed every message it sends to receive(). */
  static async create(
    options: ChannelOptions,
  ): Promise<{ channel: SecureChannel; hello: Uint8Array }> {
    const local = await createHello(options);
    return { channel: new SecureChannel(options, local), hello: local.bytes };
  }

  get state(): ChannelState {
    return this.#state;
  }

  get peerIdentity(): PublicIdentity | null {
    return this.#peerIdentity;
  }

  /** The current key epoch of our sending direction (0 after the handshake). */
  get epoch(): number {
    return this.#send?.epoch ?? 0;
  }

  receive(bytes: Uint8Array): Promise<Result<ReceiveOutcome>> {
    return this.#serialize(() => this.#receiveNow(bytes));
  }

  /** Seals one message; returns the frames to send in order (a re-key offer may lead). */
  send(plaintext: Uint8Array): Promise<Result<Uint8Array[]>> {
    return this.#serialize(async () => {
      const ready = this.#checkCanSend();
      if (ready) return ready;
      const frames: Uint8Array[] = [];
      if (this.#rekeyDue() && !this.#pendingOffer) frames.push(await this.#offerRekey());
      frames.push(...(await this.#send!.seal(FRAME_DATA, plaintext)));
      return success(frames);
    });
  }

  /** Starts a re-key now (e.g. from an idle timer); empty if one is already under way. */
  rekey(): Promise<Result<Uint8Array[]>> {
    return this.#serialize(async () => {
      const ready = this.#checkCanSend();
      if (ready) return ready;
      return success(this.#pendingOffer ? [] : [await this.#offerRekey()]);
    });
  }

  /** An authenticated end of stream: without it, the peer treats a closed transport as truncation. */
  close(): Promise<Result<Uint8Array>> {
    return this.#serialize(async () => {
      const ready = this.#checkCanSend();
      if (ready) return ready;
      const frame = await this.#send!.sealSingle(FRAME_CLOSE, new Uint8Array(0));
      this.#sendClosed = true;
      return success(frame);
    });
  }

  /** Call when the transport is gone: 'truncated' unless the peer closed the channel first. */
  transportEnded(): Result<void> {
    if (this.#receiveClosed) return success(undefined);
    return failure(
      'truncated',
      'The connection ended before the peer finished: some messages may be missing.',
    );
  }

  captureStateForTest(): CapturedChannelState {
    if (!this.#send || !this.#receive) throw new Error('The channel is not open.');
    const receive = this.#receive.snapshot();
    return {
      position: this.#position,
      rootKey: this.#rootKey.slice(),
      send: this.#send.snapshot(),
      receive: receive.current,
      pendingReceive: receive.pending,
    };
  }

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(operation, operation);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #checkCanSend(): Failure | null {
    if (this.#state !== 'open')
      return failure('wrong-state', 'The secure channel is not open yet.');
    if (this.#sendClosed) return failure('wrong-state', 'This secure channel was closed.');
    return null;
  }

  #fail(result: Failure): Failure {
    this.#state = 'failed';
    this.#erase();
    return result;
  }

  #erase(): void {
    this.#rootKey.fill(0);
    this.#send?.erase();
    this.#receive?.erase();
    if (this.#progress) {
      const { rootKey, lowChainKey, highChainKey } = this.#progress.keys;
      for (const key of [rootKey, lowChainKey, highChainKey]) key.fill(0);
    }
    this.#progress = null;
    this.#local = null;
    this.#pendingOffer = null;
  }

  async #receiveNow(bytes: Uint8Array): Promise<Result<ReceiveOutcome>> {
    const type = messageType(bytes);
    switch (this.#state) {
      case 'failed':
        return failure('wrong-state', 'This secure channel failed verification and is closed.');
      case 'awaiting-hello':
        if (type !== MESSAGE_HELLO)
          return this.#fail(failure('wrong-state', 'The peer did not start with a hello.'));
        return this.#receiveHello(bytes);
      case 'awaiting-auth':
        if (type !== MESSAGE_AUTH)
          return this.#fail(failure('wrong-state', 'The peer skipped the handshake proof.'));
        return this.#receiveAuth(bytes);
      case 'open':
        return this.#openFrame(bytes);
    }
  }

  async #receiveHello(bytes: Uint8Array): Promise<Result<ReceiveOutcome>> {
    const progress = await acceptPeerHello(this.#options, this.#local!, bytes);
    if (!progress.ok) return this.#fail(progress);
    this.#progress = progress.value;
    this.#state = 'awaiting-auth';
    return success({ ...NOTHING, reply: [progress.value.auth] });
  }

  async #receiveAuth(bytes: Uint8Array): Promise<Result<ReceiveOutcome>> {
    const progress = this.#progress!;
    const verified = await verifyPeerAuth(this.#options, progress, bytes);
    if (!verified.ok) return this.#fail(verified);
    this.#position = progress.position;
    this.#peerIdentity = progress.peerIdentity;
    const { own, peer } = this.#splitByPosition(progress.keys);
    this.#rootKey = progress.keys.rootKey;
    this.#send = new SendingDirection(this.#aead, new Chain(0, own, this.#aead), this.#now());
    this.#receive = new ReceivingDirection(this.#aead, new Chain(0, peer, this.#aead));
    // The handshake's secrets are no longer needed: drop the ephemeral private key.
    this.#progress = null;
    this.#local = null;
    this.#state = 'open';
    return success({ ...NOTHING, reply: [], established: progress.peerIdentity });
  }

  #splitByPosition(keys: EpochKeys): { own: Uint8Array; peer: Uint8Array } {
    return this.#position === 'low'
      ? { own: keys.lowChainKey, peer: keys.highChainKey }
      : { own: keys.highChainKey, peer: keys.lowChainKey };
  }

  #rekeyDue(): boolean {
    const maxMessages = this.#options.rekeyAfterMessages ?? REKEY_AFTER_MESSAGES;
    const maxMs = this.#options.rekeyAfterMs ?? REKEY_AFTER_MS;
    // The offer leads the Nth message, so no epoch carries more than N messages when the
    // answer comes back promptly.
    const send = this.#send!;
    return send.messagesInEpoch + 1 >= maxMessages || this.#now() - send.epochStartedAt >= maxMs;
  }

  async #offerRekey(): Promise<Uint8Array> {
    const ephemeral = await generateEphemeral(this.#options.keyAgreement);
    const epoch = this.#send!.epoch;
    const frame = await this.#send!.sealSingle(FRAME_REKEY_OFFER, ephemeral.publicKey);
    this.#pendingOffer = {
      epoch,
      privateKey: ephemeral.privateKey,
      publicKey: ephemeral.publicKey,
    };
    return frame;
  }

  async #openFrame(bytes: Uint8Array): Promise<Result<ReceiveOutcome>> {
    if (this.#receiveClosed) return failure('wrong-state', 'The peer already closed this channel.');
    const opened = await this.#receive!.open(bytes);
    if (!opened.ok) return opened;
    // A split frame's header: nothing to deliver until its body arrives.
    if (!opened.value) return success({ ...NOTHING, reply: [] });
    const { header, payload } = opened.value;
    switch (header.kind) {
      case FRAME_DATA:
        // Messages in both directions count towards the next re-key.
        this.#send!.messagesInEpoch += 1;
        return success({ ...NOTHING, reply: [], message: payload });
      case FRAME_CLOSE:
        this.#receiveClosed = true;
        return success({ ...NOTHING, reply: [], closed: true });
      case FRAME_REKEY_OFFER:
        return this.#acceptOffer(header.epoch, payload);
      case FRAME_REKEY_ANSWER:
        return this.#acceptAnswer(header.epoch, payload);
    }
  }

  async #acceptOffer(epoch: number, peerPublicKey: Uint8Array): Promise<Result<ReceiveOutcome>> {
    if (epoch !== this.#send!.epoch || this.#receive!.hasPending) {
      return this.#fail(failure('wrong-state', 'The peer started a re-key out of turn.'));
    }
    // We sent our close: we will never send again, so there is nothing to re-key. The peer
    // keeps sending in the current epoch, which we still accept.
    if (this.#sendClosed) return success({ ...NOTHING, reply: [] });
    const crossing = this.#pendingOffer;
    const reply: Uint8Array[] = [];
    // Both offered at once: each side's offer answers the other's.
    const ownKey = crossing ?? (await generateEphemeral(this.#options.keyAgreement));
    const keys = await this.#deriveNextEpoch(ownKey, peerPublicKey);
    if (!keys.ok) return this.#fail(keys);
    if (!crossing) reply.push(await this.#send!.sealSingle(FRAME_REKEY_ANSWER, ownKey.publicKey));
    const { peer } = this.#switchSending(keys.value);
    this.#receive!.expect(new Chain(epoch + 1, peer, this.#aead));
    return success({ ...NOTHING, reply });
  }

  async #acceptAnswer(epoch: number, peerPublicKey: Uint8Array): Promise<Result<ReceiveOutcome>> {
    const offer = this.#pendingOffer;
    if (!offer || offer.epoch !== epoch || this.#receive!.hasPending) {
      return this.#fail(
        failure('wrong-state', 'The peer answered a re-key that was never offered.'),
      );
    }
    const keys = await this.#deriveNextEpoch(offer, peerPublicKey);
    if (!keys.ok) return this.#fail(keys);
    const { peer } = this.#switchSending(keys.value);
    // The answer was the peer's last frame of the old epoch: switch receiving right away.
    this.#receive!.switchTo(new Chain(epoch + 1, peer, this.#aead));
    return success({ ...NOTHING, reply: [] });
  }

  async #deriveNextEpoch(
    own: { privateKey: CryptoKey; publicKey: Uint8Array },
    peerPublicKey: Uint8Array,
  ): Promise<Result<EpochKeys>> {
    const shared = await deriveSharedSecret(
      this.#options.keyAgreement,
      own.privateKey,
      peerPublicKey,
    );
    if (!shared.ok) return shared;
    const [low, high] =
      this.#position === 'low' ? [own.publicKey, peerPublicKey] : [peerPublicKey, own.publicKey];
    const keys = deriveRekeyKeys(shared.value, this.#rootKey, this.#send!.epoch + 1, low, high);
    shared.value.fill(0);
    return success(keys);
  }

  /** Moves our sending direction to the next epoch; returns the peer's new chain key. */
  #switchSending(keys: EpochKeys): { peer: Uint8Array } {
    const { own, peer } = this.#splitByPosition(keys);
    const send = this.#send!;
    this.#rootKey.fill(0);
    this.#rootKey = keys.rootKey;
    send.switchTo(new Chain(send.epoch + 1, own, this.#aead), this.#now());
    this.#pendingOffer = null;
    return { peer };
  }
}
