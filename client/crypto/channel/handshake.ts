// The channel handshake (DESIGN.md section 4), in two symmetric flights so neither side
// needs to know who "started":
//   1. both send a hello (version, suite, key agreement, identity key, fresh ephemeral,
//      the DTLS fingerprints as each side sees them);
//   2. both send an auth: an identity signature and a K_psk MAC over the transcript hash.
// The transcript is both hellos in byte order plus the room id, so each signature covers
// the peer's fresh ephemeral too (no replayed hello can be signed for) and a MITM who
// swapped DTLS certificates, or who lacks K_psk, is caught.
import type { CipherSuite } from '../primitives/aead';
import { concatBytes, utf8 } from '../primitives/bytes';
import { deriveSharedSecret, generateEphemeral, type KeyAgreement } from '../primitives/ecdh';
import { hkdfSha256, hmacSha256, sha256, verifyHmacSha256 } from '../primitives/kdf';
import { sign, verifySignature } from '../primitives/signature';
import { isSignatureAlg, type DeviceIdentity, type PublicIdentity } from '../identity';
import { failure, success, type Result } from '../result';
import { deriveHandshakeKeys, label, type EpochKeys } from './ratchet';
import {
  decodeAuth,
  decodeHello,
  encodeAuth,
  encodeHello,
  normalizeFingerprint,
  PROTOCOL_VERSION,
} from './wire';

export interface HandshakeOptions {
  readonly identity: DeviceIdentity;
  /** K_psk of the room's current epoch. */
  readonly psk: Uint8Array;
  /** The server-assigned room id, bound into the transcript. */
  readonly roomId: string;
  readonly suite: CipherSuite;
  readonly keyAgreement: KeyAgreement;
  /** DTLS fingerprints as this side sees them: its own certificate's and the remote SDP's. */
  readonly fingerprints: { readonly local: string; readonly remote: string };
}

/** Thrown for local misconfiguration (never for anything a peer sent). */
export class ChannelSetupError extends Error {
  override readonly name = 'ChannelSetupError';
}

export type Position = 'low' | 'high';

export interface LocalHello {
  readonly bytes: Uint8Array;
  readonly ephemeralPrivateKey: CryptoKey;
  readonly fingerprints: { readonly local: string; readonly remote: string };
}

export interface HandshakeProgress {
  readonly position: Position;
  readonly transcriptHash: Uint8Array;
  readonly peerIdentity: PublicIdentity;
  readonly keys: EpochKeys;
  /** Our auth message, to send to the peer. */
  readonly auth: Uint8Array;
}

const IDENTITY_KEY_LENGTH = { ed25519: 32, 'ecdsa-p256': 65 } as const;

export async function createHello(options: HandshakeOptions): Promise<LocalHello> {
  const local = normalizeFingerprint(options.fingerprints.local);
  const remote = normalizeFingerprint(options.fingerprints.remote);
  if (!local || !remote) {
    throw new ChannelSetupError('A DTLS fingerprint is not in SDP form ("sha-256 AB:CD:...").');
  }
  const ephemeral = await generateEphemeral(options.keyAgreement);
  const bytes = encodeHello({
    version: PROTOCOL_VERSION,
    suite: options.suite,
    keyAgreement: options.keyAgreement,
    identity: { alg: options.identity.alg, publicKey: options.identity.publicKey },
    ephemeral: ephemeral.publicKey,
    fingerprints: { own: local, remote },
  });
  return { bytes, ephemeralPrivateKey: ephemeral.privateKey, fingerprints: { local, remote } };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, bytes.length, false);
  return concatBytes(prefix, bytes);
}

function positionByte(position: Position): Uint8Array {
  return new Uint8Array([position === 'low' ? 0x4c : 0x48]);
}

function signedPayload(position: Position, transcriptHash: Uint8Array): Uint8Array {
  return concatBytes(label('auth-signature'), positionByte(position), transcriptHash);
}

async function pskMac(psk: Uint8Array, position: Position, transcriptHash: Uint8Array) {
  const macKey = await hkdfSha256(psk, transcriptHash, label('auth-mac-key'), 32);
  const data = concatBytes(label('auth-mac'), positionByte(position), transcriptHash);
  return { macKey, data };
}

/** Checks the peer's hello against ours, runs ECDH and returns our auth to send. */
export async function acceptPeerHello(
  options: HandshakeOptions,
  local: LocalHello,
  peerBytes: Uint8Array,
): Promise<Result<HandshakeProgress>> {
  const decoded = decodeHello(peerBytes);
  if (!decoded.ok) return decoded;
  const hello = decoded.value;
  if (hello.version !== PROTOCOL_VERSION) {
    return failure(
      'unsupported-version',
      `The peer speaks channel version ${hello.version}, we speak ${PROTOCOL_VERSION}: update the app.`,
    );
  }
  if (hello.suite !== options.suite) {
    return failure('unknown-suite', "The peer proposes a cipher suite that is not this room's.");
  }
  if (hello.keyAgreement !== options.keyAgreement) {
    return failure('unknown-suite', "The peer proposes a key agreement that is not this room's.");
  }
  const alg = hello.identity.alg;
  if (!isSignatureAlg(alg)) {
    return failure('unknown-suite', "The peer's identity key uses an unknown algorithm.");
  }
  if (hello.identity.publicKey.length !== IDENTITY_KEY_LENGTH[alg]) {
    return failure('bad-length', "The peer's identity key has the wrong length.");
  }
  const peerOwn = normalizeFingerprint(hello.fingerprints.own);
  const peerRemote = normalizeFingerprint(hello.fingerprints.remote);
  if (peerOwn !== local.fingerprints.remote || peerRemote !== local.fingerprints.local) {
    return failure(
      'fingerprint-mismatch',
      'The connection could not be verified: the DTLS fingerprints differ between the two sides (someone may be intercepting it).',
    );
  }
  const order = compareBytes(local.bytes, peerBytes);
  if (order === 0) return failure('malformed', 'The peer echoed our own hello back.');
  const position: Position = order < 0 ? 'low' : 'high';
  const shared = await deriveSharedSecret(
    options.keyAgreement,
    local.ephemeralPrivateKey,
    hello.ephemeral,
  );
  if (!shared.ok) return shared;

  const [lowHello, highHello] =
    position === 'low' ? [local.bytes, peerBytes] : [peerBytes, local.bytes];
  const transcriptHash = await sha256(
    concatBytes(
      label('transcript'),
      lengthPrefixed(utf8(options.roomId)),
      lengthPrefixed(lowHello),
      lengthPrefixed(highHello),
    ),
  );
  const keys = deriveHandshakeKeys(shared.value, options.psk, transcriptHash, options.roomId);
  shared.value.fill(0);

  const signature = await sign(
    options.identity.alg,
    options.identity.privateKey,
    signedPayload(position, transcriptHash),
  );
  const { macKey, data } = await pskMac(options.psk, position, transcriptHash);
  const mac = await hmacSha256(macKey, data);
  macKey.fill(0);
  return success({
    position,
    transcriptHash,
    peerIdentity: { alg, publicKey: hello.identity.publicKey },
    keys,
    auth: encodeAuth({ signature, mac }),
  });
}

/** Verifies the peer's identity signature and K_psk MAC over the same transcript. */
export async function verifyPeerAuth(
  options: HandshakeOptions,
  progress: HandshakeProgress,
  peerBytes: Uint8Array,
): Promise<Result<void>> {
  const decoded = decodeAuth(peerBytes);
  if (!decoded.ok) return decoded;
  const peerPosition: Position = progress.position === 'low' ? 'high' : 'low';
  // The MAC first: it proves the peer holds this room's K_psk, the cheaper check.
  const { macKey, data } = await pskMac(options.psk, peerPosition, progress.transcriptHash);
  const macOk = await verifyHmacSha256(macKey, data, decoded.value.mac);
  macKey.fill(0);
  if (!macOk) {
    return failure(
      'bad-mac',
      "The peer does not hold this room's key (or the handshake was altered).",
    );
  }
  const signatureOk = await verifySignature(
    progress.peerIdentity.alg,
    progress.peerIdentity.publicKey,
    signedPayload(peerPosition, progress.transcriptHash),
    decoded.value.signature,
  );
  if (!signatureOk) {
    return failure(
      'bad-signature',
      "The peer's identity signature over the handshake does not verify.",
    );
  }
  return success(undefined);
}
