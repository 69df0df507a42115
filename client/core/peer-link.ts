// One secure link to one peer (DESIGN.md sections 4 and 6): a negotiated data channel on
// the RTCPeerConnection simple-peer holds, our handshake on it (the crypto api's secure
// channel, bound to the DTLS fingerprints both SDPs show), then PeerMessages as JSON
// inside channel frames. Malformed or oversized frames are dropped and counted; a failed
// handshake drops the connection.
import { z } from 'zod';
import {
  FILE_CHANNEL_ID,
  P2P_MAX_FRAME_BYTES,
  PeerMessage,
  Username,
} from '../../signaling/protocol';
import type { CipherSuite } from '../crypto/primitives/aead';
import { identityFingerprint, utf8Decode, utf8Encode } from './bytes';
import type { CryptoPort } from './crypto-port';

/** simple-peer's negotiated side channel id: the same on both ends, no extra signaling. */
export const SECURE_CHANNEL_ID = 7;
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** NOTE: pause sending above this much buffered data; resume at the low-water mark. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

interface DataChannelLike {
  readyState: string;
  binaryType: string;
  bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onbufferedamountlow: (() => void) | null;
  send(data: Uint8Array): void;
  close(): void;
}
export interface PeerConnectionLike {
  localDescription: { sdp: string } | null;
  remoteDescription: { sdp: string } | null;
  connectionState?: string;
  createDataChannel(label: string, options: { negotiated: boolean; id: number }): unknown;
}

export type KeyAgreement = 'x25519' | 'p521';

/**
 * The first frame each side sends, in the clear inside DTLS: the key agreement it knows.
 * NOTE: the server does not store it and the link does not carry it, so a new member
 * learns it here; the handshake then binds it (the hello carries it under K_psk).
 */
const Preamble = z.strictObject({
  /** Unverified: only used to name the peer if its handshake fails. */
  username: Username.optional(),
  p2p: z.literal(1),
  keyAgreement: z.enum(['x25519', 'p521']).nullable(),
});

export interface PeerIdentity {
  alg: 'ed25519' | 'ecdsa-p256';
  publicKey: Uint8Array;
  fingerprint: string;
}

export interface PeerLinkOptions {
  peerId: string;
  pc: PeerConnectionLike;
  crypto: CryptoPort;
  identity: string;
  room: string;
  /** Our username, sent ahead of the handshake so a failure can name us. */
  username?: string;
  /** The room epoch whose K_psk this handshake mixes in (the current one). */
  epoch: number;
  roomId: string;
  suite: CipherSuite;
  /** The room's key agreement if this device knows it; a joiner learns it from its peers. */
  keyAgreement: KeyAgreement | null;
  onKeyAgreement(keyAgreement: KeyAgreement): void;
  onEstablished(link: PeerLink): void;
  onMessage(link: PeerLink, message: PeerMessage): void;
  onFailed(link: PeerLink, reason: string, message: string): void;
  onClosed(link: PeerLink): void;
  onDroppedFrame(link: PeerLink, why: string): void;
}

/**
 * NOTE: @roamhq/wrtc segfaults in RTCPeerConnection.close() when a data channel's JS
 * object was garbage-collected before (it cleans up every channel it ever had). So each
 * channel stays reachable for exactly as long as its connection is.
 */
const channelOf = new WeakMap<object, unknown>();

export function sdpFingerprint(sdp: string | undefined): string | null {
  const match = /a=fingerprint:(\S+) ([0-9A-Fa-f:]+)/.exec(sdp ?? '');
  return match ? `${match[1]} ${match[2]}` : null;
}

export class PeerLink {
  readonly peerId: string;
  peer: PeerIdentity | null = null;
  /** The name the peer gave before the handshake: unverified, for error messages only. */
  claimedUsername: string | null = null;
  fingerprints: { local: string; remote: string } | null = null;
  state: 'handshake' | 'open' | 'failed' | 'closed' = 'handshake';
  private channel: Promise<string | null> | null = null;
  private theirPreamble: ((keyAgreement: KeyAgreement | null) => void) | null = null;
  private readonly preamble: Promise<KeyAgreement | null> = new Promise((resolve) => {
    this.theirPreamble = resolve;
  });
  private readonly dc: DataChannelLike;
  /**
   * The file chunks' channel (client/core/files uses it): negotiated together with the
   * secure one, so both ends have it long before any chunk is sent on it.
   */
  readonly fileChannel: unknown;
  private inTail: Promise<void> = Promise.resolve();
  private outTail: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private resumeSending: (() => void) | null = null;

  constructor(private readonly options: PeerLinkOptions) {
    this.peerId = options.peerId;
    this.dc = options.pc.createDataChannel('secure', {
      negotiated: true,
      id: SECURE_CHANNEL_ID,
    }) as DataChannelLike;
    this.fileChannel = options.pc.createDataChannel('files', {
      negotiated: true,
      id: FILE_CHANNEL_ID,
    });
    channelOf.set(options.pc, [this.dc, this.fileChannel]);
    this.dc.binaryType = 'arraybuffer';
    this.dc.onmessage = (event) => this.onFrame(event.data);
    this.dc.onclose = () => this.end();
    // NOTE: the channel may already be open by the time we attach: check readyState.
    if (this.dc.readyState === 'open') this.start();
    else this.dc.onopen = () => this.start();
    this.timer = setTimeout(
      () => this.fail('timeout', 'the secure handshake did not finish in time'),
      HANDSHAKE_TIMEOUT_MS,
    );
  }

  private start(): void {
    if (this.channel) return;
    this.channel = this.openChannel().catch((error: unknown) => {
      this.fail('setup', (error as Error).message);
      return null;
    });
  }

  private async openChannel(): Promise<string | null> {
    const local = sdpFingerprint(this.options.pc.localDescription?.sdp);
    const remote = sdpFingerprint(this.options.pc.remoteDescription?.sdp);
    if (!local || !remote) {
      this.fail('fingerprint', 'no DTLS fingerprint in the session description');
      return null;
    }
    this.fingerprints = { local, remote };
    this.write(
      utf8Encode(
        JSON.stringify({
          p2p: 1,
          keyAgreement: this.options.keyAgreement,
          username: this.options.username,
        }),
      ),
    );
    const theirs = await this.preamble;
    const mine = this.options.keyAgreement;
    if (mine && theirs && mine !== theirs) {
      this.fail('key-agreement', 'the peer uses another key agreement for this room');
      return null;
    }
    const keyAgreement = mine ?? theirs ?? 'x25519';
    if (!mine) this.options.onKeyAgreement(keyAgreement);
    const { channel, hello } = await this.options.crypto.openChannel({
      identity: this.options.identity,
      room: this.options.room,
      epoch: this.options.epoch,
      roomId: this.options.roomId,
      suite: this.options.suite,
      keyAgreement,
      fingerprints: { local, remote },
    });
    this.write(hello);
    return channel;
  }

  private onFrame(data: unknown): void {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : null;
    if (!bytes) return this.options.onDroppedFrame(this, 'not binary');
    if (bytes.length > P2P_MAX_FRAME_BYTES) return this.options.onDroppedFrame(this, 'oversized');
    const copy = bytes.slice();
    this.start();
    if (this.theirPreamble) {
      const resolve = this.theirPreamble;
      this.theirPreamble = null;
      try {
        const preamble = Preamble.parse(JSON.parse(utf8Decode(copy)));
        this.claimedUsername = preamble.username ?? null;
        resolve(preamble.keyAgreement);
      } catch {
        this.fail('malformed', 'the peer did not start the secure handshake');
      }
      return;
    }
    this.inTail = this.inTail.then(() => this.receive(copy)).catch(() => undefined);
  }

  private async receive(bytes: Uint8Array): Promise<void> {
    const channel = await this.channel;
    if (!channel || this.state === 'failed' || this.state === 'closed') return;
    const outcome = await this.options.crypto.channelReceive(channel, bytes);
    if (!outcome.ok) {
      if (this.state === 'handshake') return this.fail(outcome.reason, outcome.message);
      return this.options.onDroppedFrame(this, outcome.reason);
    }
    for (const reply of outcome.value.reply) this.write(reply);
    if (outcome.value.established) {
      const { alg, publicKey } = outcome.value.established;
      this.peer = { alg, publicKey, fingerprint: await identityFingerprint(alg, publicKey) };
      this.state = 'open';
      clearTimeout(this.timer);
      this.options.onEstablished(this);
    }
    if (outcome.value.closed) return this.end();
    const message = outcome.value.message;
    if (!message) return;
    let parsed: PeerMessage;
    try {
      parsed = PeerMessage.parse(JSON.parse(utf8Decode(message)));
    } catch {
      return this.options.onDroppedFrame(this, 'malformed');
    }
    this.options.onMessage(this, parsed);
  }

  /** Sends one message; resolves when it is handed to the data channel. */
  send(message: PeerMessage): Promise<boolean> {
    const run = this.outTail.then(async () => {
      const channel = await this.channel;
      if (!channel || this.state !== 'open') return false;
      const frames = await this.options.crypto.channelSend(
        channel,
        utf8Encode(JSON.stringify(message)),
      );
      if (!frames.ok) return false;
      for (const frame of frames.value) {
        await this.drain();
        if (!this.write(frame)) return false;
      }
      return true;
    });
    this.outTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run.catch(() => false);
  }

  private drain(): Promise<void> {
    if (this.released || this.dc.bufferedAmount < HIGH_WATER) return Promise.resolve();
    this.dc.bufferedAmountLowThreshold = LOW_WATER;
    return new Promise((resolve) => {
      this.resumeSending = resolve;
      this.dc.onbufferedamountlow = () => {
        this.dc.onbufferedamountlow = null;
        this.resumeSending = null;
        resolve();
      };
    });
  }

  /** Whether our channels may be used at all (see write). */
  get writable(): boolean {
    if (this.released || this.state !== 'open') return false;
    const connection = this.options.pc.connectionState;
    return connection !== 'closed' && connection !== 'failed' && connection !== 'disconnected';
  }

  private write(frame: Uint8Array): boolean {
    // NOTE: never touch a released channel: its connection may be closed already, and
    // @roamhq/wrtc segfaults on a send() to a channel whose connection was closed.
    if (this.released || this.dc.readyState !== 'open') return false;
    const connection = this.options.pc.connectionState;
    if (connection === 'closed' || connection === 'failed' || connection === 'disconnected') {
      return false;
    }
    try {
      this.dc.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  private fail(reason: string, message: string): void {
    if (this.state !== 'handshake') return;
    this.state = 'failed';
    clearTimeout(this.timer);
    this.options.onFailed(this, reason, message);
    this.release();
  }

  private end(): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    clearTimeout(this.timer);
    if (wasOpen) this.options.onClosed(this);
    this.release();
  }

  /** Closes our side (the connection itself belongs to y-webrtc). */
  close(): void {
    this.end();
  }

  private released = false;

  private release(): void {
    this.released = true;
    this.resumeSending?.();
    // NOTE: the channel is not closed here: closing it right before simple-peer closes the
    // RTCPeerConnection deadlocked @roamhq/wrtc's main thread now and then. The connection's
    // owner (y-webrtc, or Mesh.dropConnection) closes the connection, channels included;
    // until then we just stop listening.
    this.dc.onmessage = null;
    this.dc.onopen = null;
    this.dc.onclose = null;
    this.dc.onbufferedamountlow = null;
    void this.channel?.then((channel) => {
      if (channel) void this.options.crypto.release(channel);
    });
  }
}
