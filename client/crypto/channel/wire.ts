// The secure channel's three wire messages, as bytes (the transport just moves them):
//   hello  0x01 || UTF-8 JSON   (sent in the clear; everything in it is public)
//   auth   0x02 || UTF-8 JSON   (identity signature and K_psk MAC over the transcript)
//   frame  0x03 || epoch u32 || seq u64 || kind u8 || AEAD(ciphertext || tag)
//   split  0x04 || epoch u32 || seq u64 || kind u8, then the next message is the body:
//          AEAD(ciphertext || tag) alone
// The first byte says which; hello and auth are validated with zod, frames by length.
// A frame's header (type byte included) is its AEAD associated data, so a header that was
// altered, or paired with another frame's body, fails authentication. The kind (data,
// re-key, close) sits in the header rather than in the ciphertext so sealing needs no copy
// of the payload; the whole data channel is inside DTLS anyway, so no relay sees it.
// Large payloads go split: WebCrypto returns the ciphertext in a buffer of its own and
// cannot write behind a prefix, so putting the header in front costs a copy (and a fresh
// allocation) of the whole frame, about as much main-thread time as the encryption itself.
import { z } from 'zod';
import { fromBase64Url, toBase64Url, utf8 } from '../primitives/bytes';
import { failure, success, type Result } from '../result';

export const MESSAGE_HELLO = 0x01;
export const MESSAGE_AUTH = 0x02;
export const MESSAGE_FRAME = 0x03;
export const MESSAGE_SPLIT_HEADER = 0x04;

export const PROTOCOL_VERSION = 1;

/** Handshake messages are small: anything larger is hostile or broken. */
const MAX_HANDSHAKE_MESSAGE = 4096;

export const FRAME_HEADER_LENGTH = 1 + 4 + 8 + 1;

/**
 * Payloads from this size on are sent split (header, then body): below it the copy that
 * joins them costs less than a second message on the data channel.
 */
export const SPLIT_FRAME_MIN_PAYLOAD = 4096;

export const FRAME_DATA = 0x00;
export const FRAME_REKEY_OFFER = 0x01;
export const FRAME_REKEY_ANSWER = 0x02;
export const FRAME_CLOSE = 0x03;
export type FrameKind =
  typeof FRAME_DATA | typeof FRAME_REKEY_OFFER | typeof FRAME_REKEY_ANSWER | typeof FRAME_CLOSE;

const base64Url = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9_-]*$/);
/** "sha-256 AB:CD:..." as in SDP's a=fingerprint (normalised by normalizeFingerprint). */
const fingerprint = z.string().min(1).max(256);

const HelloSchema = z
  .object({
    type: z.literal('hello'),
    // Version and suite are checked after parsing, so a peer speaking another version or
    // suite gets 'unsupported-version' / 'unknown-suite' rather than 'malformed'.
    version: z.number().int().nonnegative(),
    suite: z.string().max(64),
    keyAgreement: z.string().max(64),
    identity: z.object({ alg: z.string().max(64), publicKey: base64Url }).strict(),
    ephemeral: base64Url,
    fingerprints: z.object({ own: fingerprint, remote: fingerprint }).strict(),
  })
  .strict();

const AuthSchema = z
  .object({ type: z.literal('auth'), signature: base64Url, mac: base64Url })
  .strict();

export interface HelloFields {
  version: number;
  suite: string;
  keyAgreement: string;
  identity: { alg: string; publicKey: Uint8Array };
  ephemeral: Uint8Array;
  fingerprints: { own: string; remote: string };
}

export interface AuthFields {
  signature: Uint8Array;
  mac: Uint8Array;
}

export function messageType(bytes: Uint8Array): number | undefined {
  return bytes[0];
}

function encodeJson(type: number, value: unknown): Uint8Array {
  const body = utf8(JSON.stringify(value));
  const out = new Uint8Array(1 + body.length);
  out[0] = type;
  out.set(body, 1);
  return out;
}

function decodeJson(expectedType: number, bytes: Uint8Array): Result<unknown> {
  if (bytes.length > MAX_HANDSHAKE_MESSAGE) {
    return failure('malformed', 'A handshake message from the peer is too large.');
  }
  if (bytes[0] !== expectedType) {
    return failure('wrong-state', 'The peer sent a message that does not fit the handshake.');
  }
  try {
    return success(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(1))));
  } catch {
    return failure('malformed', 'A handshake message from the peer is not valid JSON.');
  }
}

function decodeBase64Field(text: string): Uint8Array | null {
  const decoded = fromBase64Url(text);
  return decoded.ok ? decoded.value : null;
}

export function encodeHello(hello: HelloFields): Uint8Array {
  return encodeJson(MESSAGE_HELLO, {
    type: 'hello',
    version: hello.version,
    suite: hello.suite,
    keyAgreement: hello.keyAgreement,
    identity: { alg: hello.identity.alg, publicKey: toBase64Url(hello.identity.publicKey) },
    ephemeral: toBase64Url(hello.ephemeral),
    fingerprints: hello.fingerprints,
  });
}

export function decodeHello(bytes: Uint8Array): Result<HelloFields> {
  const json = decodeJson(MESSAGE_HELLO, bytes);
  if (!json.ok) return json;
  const parsed = HelloSchema.safeParse(json.value);
  if (!parsed.success) return failure('malformed', "The peer's hello is not well-formed.");
  const identityKey = decodeBase64Field(parsed.data.identity.publicKey);
  const ephemeral = decodeBase64Field(parsed.data.ephemeral);
  if (!identityKey || !ephemeral) {
    return failure('malformed', "The peer's hello carries keys that are not base64url.");
  }
  return success({
    version: parsed.data.version,
    suite: parsed.data.suite,
    keyAgreement: parsed.data.keyAgreement,
    identity: { alg: parsed.data.identity.alg, publicKey: identityKey },
    ephemeral,
    fingerprints: parsed.data.fingerprints,
  });
}

export function encodeAuth(auth: AuthFields): Uint8Array {
  return encodeJson(MESSAGE_AUTH, {
    type: 'auth',
    signature: toBase64Url(auth.signature),
    mac: toBase64Url(auth.mac),
  });
}

export function decodeAuth(bytes: Uint8Array): Result<AuthFields> {
  const json = decodeJson(MESSAGE_AUTH, bytes);
  if (!json.ok) return json;
  const parsed = AuthSchema.safeParse(json.value);
  if (!parsed.success)
    return failure('malformed', "The peer's handshake proof is not well-formed.");
  const signature = decodeBase64Field(parsed.data.signature);
  const mac = decodeBase64Field(parsed.data.mac);
  if (!signature || !mac) {
    return failure('malformed', "The peer's handshake proof is not base64url.");
  }
  return success({ signature, mac });
}

/**
 * SDP writes fingerprints as "sha-256 AB:CD:..."; browsers differ in case and spacing.
 * Returns null for anything that is not "<hash name> <hex pairs joined by colons>".
 */
export function normalizeFingerprint(text: string): string | null {
  const normalized = text.trim().replace(/\s+/g, ' ').toLowerCase();
  return /^[a-z0-9-]{1,16} [0-9a-f]{2}(:[0-9a-f]{2}){15,63}$/.test(normalized) ? normalized : null;
}

export interface FrameHeader {
  epoch: number;
  seq: number;
  kind: FrameKind;
  /** True for a split header (0x04): the body follows as the next message. */
  split: boolean;
}

/** A split header is a message of exactly this form; a body never is (it has a tag). */
export function isSplitHeader(bytes: Uint8Array): boolean {
  return bytes.length === FRAME_HEADER_LENGTH && bytes[0] === MESSAGE_SPLIT_HEADER;
}

/** The header doubles as the AEAD's associated data, so epoch and seq are authenticated. */
export function encodeFrameHeader(header: FrameHeader): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(FRAME_HEADER_LENGTH);
  const view = new DataView(out.buffer);
  out[0] = header.split ? MESSAGE_SPLIT_HEADER : MESSAGE_FRAME;
  view.setUint32(1, header.epoch, false);
  // Two 32-bit halves: seq stays a plain number (2^53 frames is beyond any session).
  view.setUint32(5, Math.floor(header.seq / 2 ** 32), false);
  view.setUint32(9, header.seq >>> 0, false);
  out[13] = header.kind;
  return out;
}

export function decodeFrameHeader(bytes: Uint8Array): Result<FrameHeader> {
  if (bytes.length < FRAME_HEADER_LENGTH) {
    return failure('truncated', 'A frame from the peer was cut short.');
  }
  const split = bytes[0] === MESSAGE_SPLIT_HEADER;
  if (bytes[0] !== MESSAGE_FRAME && !split) {
    return failure('wrong-state', 'The peer sent a handshake message on an open channel.');
  }
  if (split && bytes.length !== FRAME_HEADER_LENGTH) {
    return failure('malformed', 'A frame header from the peer has the wrong length.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_LENGTH);
  const high = view.getUint32(5, false);
  if (high >= 2 ** 21)
    return failure('malformed', 'A frame carries an impossible sequence number.');
  const kind = bytes[13]!;
  if (kind > FRAME_CLOSE)
    return failure('malformed', 'A frame from the peer is of an unknown kind.');
  return success({
    epoch: view.getUint32(1, false),
    seq: high * 2 ** 32 + view.getUint32(9, false),
    kind: kind as FrameKind,
    split,
  });
}
