// Signed chat envelopes (DESIGN.md section 7): the author signs the canonical JSON of the
// envelope with its identity key, so any peer can relay it and every receiver checks it
// against the author's key, whoever relayed it.
import type { ChatEnvelope, FileOffer } from '../../signaling/protocol';
import { SignedChat } from '../../signaling/protocol';
import type { StoredMessage } from './history-store';
import { fromBase64Url, identityFingerprint, toBase64Url } from './bytes';
import type { CryptoPort } from './crypto-port';

export type RejectReason = 'malformed' | 'bad-signature' | 'wrong-room' | 'device-mismatch';

export class EnvelopeRejected extends Error {
  override name = 'EnvelopeRejected';
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

export interface Author {
  identity: string;
  alg: 'ed25519' | 'ecdsa-p256';
  publicKey: Uint8Array;
  fingerprint: string;
  username: string;
  displayName: string;
}

const fingerprints = new Map<string, Promise<string>>();
const MAX_CACHED_FINGERPRINTS = 4096;

/** A room has few authors and many messages: hash each author key once. */
function cachedFingerprint(alg: string, key: string, publicKey: Uint8Array): Promise<string> {
  const id = `${alg}:${key}`;
  let fingerprint = fingerprints.get(id);
  if (!fingerprint) {
    if (fingerprints.size >= MAX_CACHED_FINGERPRINTS) fingerprints.clear();
    fingerprint = identityFingerprint(alg, publicKey);
    fingerprints.set(id, fingerprint);
  }
  return fingerprint;
}

export async function signChat(
  crypto: CryptoPort,
  author: Author,
  fields: Pick<ChatEnvelope, 'room' | 'counter' | 'lamport' | 'epoch' | 'text'> & {
    file?: FileOffer;
  },
  sentAt = Date.now(),
): Promise<SignedChat> {
  const envelope: ChatEnvelope = {
    v: 1,
    kind: 'chat',
    room: fields.room,
    author: { alg: author.alg, key: toBase64Url(author.publicKey) },
    device: author.fingerprint,
    counter: fields.counter,
    lamport: fields.lamport,
    epoch: fields.epoch,
    sentAt,
    username: author.username,
    displayName: author.displayName,
    text: fields.text,
    ...(fields.file ? { file: fields.file } : {}),
  };
  const signature = await crypto.signEnvelope(author.identity, envelope);
  return { envelope, sig: toBase64Url(signature) };
}

/**
 * Checks shape, room, that `device` is the fingerprint of `author`, and the signature.
 * Throws EnvelopeRejected; the caller drops the message and reports it.
 */
export async function verifyChat(
  crypto: CryptoPort,
  input: unknown,
  roomId: string,
): Promise<SignedChat> {
  const parsed = SignedChat.safeParse(input);
  if (!parsed.success) throw new EnvelopeRejected('malformed', 'A message had an unexpected form.');
  const { envelope, sig } = parsed.data;
  if (envelope.room !== roomId) {
    throw new EnvelopeRejected('wrong-room', 'A message for another room was dropped.');
  }
  const publicKey = fromBase64Url(envelope.author.key);
  if (
    (await cachedFingerprint(envelope.author.alg, envelope.author.key, publicKey)) !==
    envelope.device
  ) {
    throw new EnvelopeRejected('device-mismatch', "A message's author id does not match its key.");
  }
  const verdict = await crypto.verifyEnvelope(
    { alg: envelope.author.alg, publicKey },
    envelope,
    fromBase64Url(sig),
  );
  if (!verdict.ok) {
    throw new EnvelopeRejected(
      'bad-signature',
      `A message from ${envelope.username} failed its signature check and was dropped.`,
    );
  }
  return parsed.data;
}

export function toStored(signed: SignedChat, state: StoredMessage['state']): StoredMessage {
  const { envelope } = signed;
  return {
    roomId: envelope.room,
    authorDevice: envelope.device,
    counter: envelope.counter,
    lamport: envelope.lamport,
    epoch: envelope.epoch,
    sentAt: envelope.sentAt,
    envelope: { ...envelope, author: { ...envelope.author } },
    signature: fromBase64Url(signed.sig),
    state,
    receivedAt: Date.now(),
  };
}

/** Back to the wire form, exactly as the author signed it. */
export function fromStored(message: StoredMessage): SignedChat {
  return {
    envelope: message.envelope as unknown as ChatEnvelope,
    sig: toBase64Url(message.signature),
  };
}
