// End-to-end sealing of signaling payloads (SDP offers/answers, ICE candidates) under
// K_sig (DESIGN.md section 3), so the relay sees only opaque strings and can neither
// read, forge, redirect, replay nor reorder them unnoticed.
//
// Wire form: one base64url string of
//   header = version (1) || len(from) (1) || from || len(to) (1) || to || seq (u64 BE)
//   then nonce (24) || XChaCha20-Poly1305(K_sig, nonce, payload, AAD = label || header)
// XChaCha20-Poly1305 because every member of the room seals under the same long-lived
// K_sig: with 192-bit random nonces no coordination between senders is needed.
import { aeadFor } from './primitives/aead';
import {
  concatBytes,
  fromBase64Url,
  randomBytes,
  toBase64Url,
  u64be,
  utf8,
} from './primitives/bytes';
import { CryptoInputError } from './primitives/errors';
import { failure, success, type Result } from './result';

const VERSION = 1;
const AAD_LABEL = utf8('p2p-secure-chat/v1/signal\u0000');
const aead = aeadFor('xchacha20-poly1305');
const MAX_ID_BYTES = 255;
/** Our relay refuses frames over 64 KiB; nothing legitimate comes close. */
export const MAX_SEALED_SIGNAL_CHARS = 64 * 1024;
export const DEFAULT_REPLAY_WINDOW = 64;
const MAX_TRACKED_SENDERS = 1024;

export interface SignalAddress {
  /** The sender's per-session peer id (e.g. y-webrtc's peer id). */
  readonly from: string;
  readonly to: string;
}

export interface OpenedSignal extends SignalAddress {
  readonly seq: bigint;
  readonly payload: Uint8Array;
}

function encodeId(id: string): Uint8Array {
  const bytes = utf8(id);
  if (bytes.length === 0 || bytes.length > MAX_ID_BYTES) {
    throw new CryptoInputError('bad-length', 'A peer id is 1 to 255 bytes.');
  }
  return concatBytes(new Uint8Array([bytes.length]), bytes);
}

function encodeHeader(address: SignalAddress, seq: bigint): Uint8Array {
  return concatBytes(
    new Uint8Array([VERSION]),
    encodeId(address.from),
    encodeId(address.to),
    u64be(seq),
  );
}

export async function sealSignal(
  kSig: Uint8Array,
  address: SignalAddress,
  seq: bigint,
  payload: Uint8Array,
): Promise<string> {
  const header = encodeHeader(address, seq);
  const nonce = randomBytes(aead.nonceLength);
  const sealed = await aead.seal(kSig, nonce, payload, concatBytes(AAD_LABEL, header));
  return toBase64Url(concatBytes(header, nonce, sealed));
}

/**
 * Seals this session's outgoing signals with increasing sequence numbers. The counter
 * starts from the clock (milliseconds * 1024), so a sender that reloads and reuses its
 * id still moves forward instead of tripping its peers' replay windows.
 */
export class SignalSealer {
  private nextSeq: bigint;
  constructor(
    private readonly kSig: Uint8Array,
    private readonly self: string,
    now: number = Date.now(),
  ) {
    this.nextSeq = BigInt(Math.floor(now)) * 1024n;
  }
  seal(to: string, payload: Uint8Array): Promise<string> {
    const seq = this.nextSeq++;
    return sealSignal(this.kSig, { from: this.self, to }, seq, payload);
  }
}

interface ParsedSignal extends SignalAddress {
  seq: bigint;
  header: Uint8Array;
  nonce: Uint8Array;
  sealed: Uint8Array;
}

function parseSignal(bytes: Uint8Array): ParsedSignal | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  if (bytes[offset++] !== VERSION) return undefined;
  const readId = (): string | undefined => {
    const length = bytes[offset++];
    if (!length || offset + length > bytes.length) return undefined;
    const id = decoder.decode(bytes.subarray(offset, offset + length));
    offset += length;
    return id;
  };
  try {
    const from = readId();
    const to = readId();
    if (from === undefined || to === undefined || offset + 8 > bytes.length) return undefined;
    const seq = new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigUint64(0, false);
    offset += 8;
    const header = bytes.subarray(0, offset);
    const nonce = bytes.subarray(offset, offset + aead.nonceLength);
    const sealed = bytes.subarray(offset + aead.nonceLength);
    if (nonce.length !== aead.nonceLength || sealed.length < aead.tagLength) return undefined;
    return { from, to, seq, header, nonce, sealed };
  } catch {
    return undefined; // invalid UTF-8 in an id
  }
}

/** Sliding-window replay detection for one sender (as in IPsec/DTLS, RFC 6347 4.1.2.6). */
class ReplayWindow {
  private highest = -1n;
  private seen = 0n; // bit i set: (highest - i) was accepted
  constructor(private readonly size: bigint) {}
  isFresh(seq: bigint): boolean {
    if (seq > this.highest) return true;
    const age = this.highest - seq;
    return age < this.size && ((this.seen >> age) & 1n) === 0n;
  }
  record(seq: bigint): void {
    if (seq > this.highest) {
      const shift = seq - this.highest;
      this.seen = shift >= this.size ? 1n : ((this.seen << shift) | 1n) & ((1n << this.size) - 1n);
      this.highest = seq;
    } else {
      this.seen |= 1n << (this.highest - seq);
    }
  }
}

/**
 * Opens signals addressed to `self`. Each sender gets a replay window: a duplicate, or a
 * signal older than the last `windowSize` from that sender, is rejected as 'replay';
 * reordering within the window is fine (ICE candidates race each other).
 */
export class SignalOpener {
  private readonly windows = new Map<string, ReplayWindow>();
  constructor(
    private readonly kSig: Uint8Array,
    private readonly self: string,
    private readonly windowSize: number = DEFAULT_REPLAY_WINDOW,
  ) {}

  async open(text: unknown): Promise<Result<OpenedSignal>> {
    if (typeof text !== 'string' || text.length > MAX_SEALED_SIGNAL_CHARS) {
      return failure('malformed', 'A signaling message had an unexpected form and was dropped.');
    }
    const decoded = fromBase64Url(text);
    const parsed = decoded.ok ? parseSignal(decoded.value) : undefined;
    if (!parsed) {
      return failure('malformed', 'A signaling message had an unexpected form and was dropped.');
    }
    if (parsed.to !== this.self) {
      return failure('malformed', 'A signaling message addressed to another member was dropped.');
    }
    const window = this.windows.get(parsed.from);
    if (window && !window.isFresh(parsed.seq)) {
      return failure('replay', 'A repeated or stale signaling message was dropped.');
    }
    const opened = await aead.open(
      this.kSig,
      parsed.nonce,
      parsed.sealed,
      concatBytes(AAD_LABEL, parsed.header),
    );
    if (!opened.ok) {
      return failure('bad-tag', 'Signaling failed verification: a message was altered or forged.');
    }
    // Checked again: another open for the same seq may have finished while we awaited.
    const current = this.windowFor(parsed.from);
    if (!current.isFresh(parsed.seq)) {
      return failure('replay', 'A repeated or stale signaling message was dropped.');
    }
    current.record(parsed.seq);
    return success({ from: parsed.from, to: parsed.to, seq: parsed.seq, payload: opened.value });
  }

  private windowFor(sender: string): ReplayWindow {
    let window = this.windows.get(sender);
    if (!window) {
      // Only authenticated senders get here; still, cap the map (oldest sender first).
      if (this.windows.size >= MAX_TRACKED_SENDERS) {
        this.windows.delete(this.windows.keys().next().value!);
      }
      window = new ReplayWindow(BigInt(this.windowSize));
      this.windows.set(sender, window);
    }
    return window;
  }
}
