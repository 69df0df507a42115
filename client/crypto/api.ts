// The crypto worker's whole surface: one api object (DESIGN.md section 4, STYLE.md "the
// worker boundary has no protocol code"). Keys, room secrets and channel state live in
// this object and never leave it; callers get opaque handles. Every function is plain
// async code, so unit tests call it directly and crypto.worker.ts just exposes it.
//
// NOTE: returned buffers are marked with Comlink.transfer so they move to the page
// without a copy; each one is freshly allocated here, never a view of retained state.
import { transfer } from 'comlink';
import { z } from 'zod';
import { RoomId } from '../../signaling/protocol';
import { SecureChannel, type ReceiveOutcome } from './channel/secure-channel';
import { HandleStore } from './worker-api/handles';
import {
  createDeviceIdentity,
  createSealableDeviceIdentity,
  identityFingerprint,
  parseStoredIdentity,
  signEnvelope,
  verifyEnvelope,
  type DeviceIdentity,
  type PublicIdentity,
} from './identity';
import { CIPHER_SUITES } from './primitives/aead';
import { createSha256Stream, type Sha256Stream } from './primitives/sha256-stream';
import { failure, success, type Result } from './result';
import { computeSas, type SasParty } from './sas';
import { safetyNumber } from './safety-number';
import { createRoomApi, type RoomEntry } from './worker-api/rooms';
import { createStorageApi, type StorageEntry } from './worker-api/storage';
import { defaultKeyStore, type KeyStore } from './worker-api/keystore';
import { createDeviceKeyApi } from './worker-api/device-key';
import { openSealedIdentity, sealIdentity, type IdentityEntry } from './worker-api/sealed-identity';
import { createSealedRoomApi } from './worker-api/sealed-rooms';
import { createFileChunksApi, type FileChunksEntry } from './worker-api/file-chunks';

type Entry =
  | IdentityEntry
  | { kind: 'channel'; channel: SecureChannel }
  | { kind: 'sha256'; stream: Sha256Stream }
  | RoomEntry
  | StorageEntry
  | FileChunksEntry;

const PublicIdentitySchema = z.object({
  alg: z.enum(['ed25519', 'ecdsa-p256']),
  publicKey: z.instanceof(Uint8Array),
});

const SasPartySchema = z.object({
  identity: PublicIdentitySchema,
  dtlsFingerprint: z.string().max(256),
});
const SasInput = z.object({ roomId: z.string().max(256), a: SasPartySchema, b: SasPartySchema });

const OpenChannelOptions = z.object({
  identity: z.string(),
  room: z.string(),
  epoch: z.number().int().nonnegative().default(0),
  roomId: RoomId,
  suite: z.enum(CIPHER_SUITES as [string, ...string[]]).default('aes-256-gcm'),
  keyAgreement: z.enum(['x25519', 'p521']).default('x25519'),
  fingerprints: z.object({ local: z.string().max(256), remote: z.string().max(256) }),
  rekeyAfterMessages: z.number().int().positive().optional(),
  rekeyAfterMs: z.number().positive().optional(),
});
export type OpenChannelOptions = z.input<typeof OpenChannelOptions>;

export interface IdentityInfo extends PublicIdentity {
  readonly handle: string;
  /** Hex SHA-256 of the key: what gets pinned and shown. */
  readonly fingerprint: string;
}

function bytesInput(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array.`);
  return value;
}

function transferAll<T extends Uint8Array>(buffers: T[]): T[] {
  return transfer(
    buffers,
    buffers.map((b) => b.buffer as ArrayBuffer),
  );
}

export interface CryptoApiOptions {
  /**
   * Where saveIdentity() keeps the identity and wrapDataKeyForDevice() the device wrapping
   * key: IndexedDB where there is one, else memory.
   */
  readonly keyStore?: KeyStore;
}

const IdentityName = z.string().min(1).max(64);
const SignatureAlgInput = z.enum(['ed25519', 'ecdsa-p256']).optional();

export function createCryptoApi(options: CryptoApiOptions = {}) {
  const handles = new HandleStore<Entry>();
  const keyStore = options.keyStore ?? defaultKeyStore();

  async function identityInfo(handle: string, identity: DeviceIdentity): Promise<IdentityInfo> {
    return {
      handle,
      alg: identity.alg,
      publicKey: identity.publicKey.slice(),
      fingerprint: await identityFingerprint(identity),
    };
  }

  const identityApi = {
    async createIdentity(alg?: 'ed25519' | 'ecdsa-p256'): Promise<IdentityInfo> {
      const identity = await createDeviceIdentity(alg);
      return identityInfo(handles.add({ kind: 'identity', identity }), identity);
    },
    /**
     * For runtimes with no IndexedDB to keep a CryptoKey (Node, the CLI): an identity that
     * exportIdentitySealed can save. It signs like any other; the extra, extractable copy
     * of its private key stays in this worker and is read only to be sealed.
     */
    async createSealableIdentity(alg?: 'ed25519' | 'ecdsa-p256'): Promise<IdentityInfo> {
      const { identity, extractableKey } = await createSealableDeviceIdentity(
        SignatureAlgInput.parse(alg),
      );
      return identityInfo(handles.add({ kind: 'identity', identity, extractableKey }), identity);
    },
    /**
     * The identity's key pair encrypted under the data key: an opaque, versioned record to
     * store (e.g. a 0600 file). Only identities from createSealableIdentity can be sealed
     * (IdentityNotSealableError otherwise).
     */
    async exportIdentitySealed(identity: string, dataKey: string): Promise<Uint8Array> {
      const sealed = await sealIdentity(
        handles.get(identity, 'identity'),
        handles.get(dataKey, 'data-key').key,
      );
      return transfer(sealed, [sealed.buffer as ArrayBuffer]);
    },
    /**
     * A record from exportIdentitySealed back as an identity handle (same public key and
     * fingerprint; private key non-extractable). Wrong data key, altered or foreign record:
     * a typed failure.
     */
    async importIdentitySealed(dataKey: string, record: Uint8Array): Promise<Result<IdentityInfo>> {
      const opened = await openSealedIdentity(handles.get(dataKey, 'data-key').key, record);
      if (!opened.ok) return opened;
      const handle = handles.add({ kind: 'identity', identity: opened.value });
      return success(await identityInfo(handle, opened.value));
    },
    /** Keeps the identity (non-extractable) in this worker's key database. */
    async saveIdentity(handle: string, name = 'device'): Promise<void> {
      await keyStore.put(IdentityName.parse(name), handles.get(handle, 'identity').identity);
    },
    /** The saved identity as a new handle; null when this device has none yet. */
    async loadSavedIdentity(name = 'device'): Promise<Result<IdentityInfo> | null> {
      const stored = await keyStore.get(IdentityName.parse(name));
      if (stored === undefined) return null;
      const parsed = parseStoredIdentity(stored);
      if (!parsed.ok) return parsed;
      const handle = handles.add({ kind: 'identity', identity: parsed.value });
      return success(await identityInfo(handle, parsed.value));
    },
    /** For "delete all local data". */
    async forgetSavedIdentity(name = 'device'): Promise<void> {
      await keyStore.delete(IdentityName.parse(name));
    },
    signEnvelope(handle: string, envelope: unknown): Promise<Uint8Array> {
      return signEnvelope(handles.get(handle, 'identity').identity, envelope);
    },
    verifyEnvelope(author: unknown, envelope: unknown, signature: unknown): Promise<Result<void>> {
      const parsed = PublicIdentitySchema.safeParse(author);
      if (!parsed.success)
        return Promise.resolve(failure('malformed', 'The author key is malformed.'));
      return verifyEnvelope(parsed.data, envelope, bytesInput(signature, 'A signature'));
    },
    safetyNumber(a: unknown, b: unknown): string {
      return safetyNumber(PublicIdentitySchema.parse(a), PublicIdentitySchema.parse(b));
    },
    computeSas(input: { roomId: string; a: SasParty; b: SasParty }) {
      return computeSas(SasInput.parse(input));
    },
  };

  const rooms = createRoomApi(handles.view<RoomEntry>());
  const sealedRooms = createSealedRoomApi(handles.view<RoomEntry | StorageEntry>());

  const channelApi = {
    /** Starts a handshake; send `hello` to the peer and feed its messages to channelReceive. */
    async openChannel(
      options: OpenChannelOptions,
    ): Promise<{ channel: string; hello: Uint8Array }> {
      const parsed = OpenChannelOptions.parse(options);
      const identity = handles.get(parsed.identity, 'identity').identity;
      const psk = (await rooms.epochKeys(parsed.room, parsed.epoch)).kPsk;
      const { channel, hello } = await SecureChannel.create({
        identity,
        psk,
        roomId: parsed.roomId,
        suite: parsed.suite as (typeof CIPHER_SUITES)[number],
        keyAgreement: parsed.keyAgreement,
        fingerprints: parsed.fingerprints,
        rekeyAfterMessages: parsed.rekeyAfterMessages,
        rekeyAfterMs: parsed.rekeyAfterMs,
      });
      const copy = hello.slice(); // the channel keeps its hello for the transcript
      return transfer({ channel: handles.add({ kind: 'channel', channel }), hello: copy }, [
        copy.buffer,
      ]);
    },
    async channelReceive(handle: string, bytes: Uint8Array): Promise<Result<ReceiveOutcome>> {
      const channel = handles.get(handle, 'channel').channel;
      const outcome = await channel.receive(bytesInput(bytes, 'A frame'));
      if (!outcome.ok) return outcome;
      const buffers = [
        ...outcome.value.reply,
        ...(outcome.value.message ? [outcome.value.message] : []),
      ];
      return transfer(
        outcome,
        buffers.map((b) => b.buffer as ArrayBuffer),
      );
    },
    async channelSend(handle: string, plaintext: Uint8Array): Promise<Result<Uint8Array[]>> {
      const frames = await handles
        .get(handle, 'channel')
        .channel.send(bytesInput(plaintext, 'A message'));
      return frames.ok ? success(transferAll(frames.value)) : frames;
    },
    async channelRekey(handle: string): Promise<Result<Uint8Array[]>> {
      const frames = await handles.get(handle, 'channel').channel.rekey();
      return frames.ok ? success(transferAll(frames.value)) : frames;
    },
    channelClose(handle: string): Promise<Result<Uint8Array>> {
      return handles.get(handle, 'channel').channel.close();
    },
    channelTransportEnded(handle: string): Result<void> {
      return handles.get(handle, 'channel').channel.transportEnded();
    },
    channelInfo(handle: string) {
      const channel = handles.get(handle, 'channel').channel;
      return { state: channel.state, epoch: channel.epoch, peerIdentity: channel.peerIdentity };
    },
  };

  const hashApi = {
    async createSha256Stream(): Promise<string> {
      return handles.add({ kind: 'sha256', stream: await createSha256Stream() });
    },
    sha256Update(handle: string, chunk: Uint8Array): void {
      handles.get(handle, 'sha256').stream.update(bytesInput(chunk, 'A chunk'));
    },
    sha256Digest(handle: string): Uint8Array {
      const digest = handles.get(handle, 'sha256').stream.digest();
      handles.remove(handle);
      return digest;
    },
  };

  return {
    ...identityApi,
    ...rooms.api,
    ...sealedRooms,
    ...channelApi,
    ...createStorageApi(handles.view<StorageEntry>()),
    ...createDeviceKeyApi(handles.view<StorageEntry>(), keyStore),
    ...createFileChunksApi(handles.view<FileChunksEntry | StorageEntry>()),
    ...hashApi,
    /** Forgets a handle and erases the key bytes it held. */
    release(handle: string): void {
      const entry = handles.remove(handle);
      if (!entry) return;
      if (entry.kind === 'data-key' || entry.kind === 'file-key') entry.key.fill(0);
      if (entry.kind === 'room') for (const secret of entry.secrets.values()) secret.fill(0);
    },
    /** How many handles are live: lets tests and the UI check nothing leaks. */
    liveHandles(): number {
      return handles.size;
    },
  };
}

export type CryptoApi = ReturnType<typeof createCryptoApi>;
