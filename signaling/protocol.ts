// The ONLY place wire shapes are defined. Client and server both import these zod
// schemas and the types inferred from them; nothing else declares a wire type.
import { z } from 'zod';

// ---------------------------------------------------------------------------
// Shared primitives
// ---------------------------------------------------------------------------

/** Room ids are assigned by the server: 22 base64url characters (128 random bits). */
export const RoomId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22}$/, 'a room id is 22 base64url characters');
export type RoomId = z.infer<typeof RoomId>;

// ---------------------------------------------------------------------------
// WebSocket /signal: y-webrtc's signaling protocol
// ---------------------------------------------------------------------------

/** Hard limit on one WebSocket frame; bigger frames close the socket with 1009. */
export const MAX_SIGNAL_FRAME_BYTES = 64 * 1024;

/**
 * A topic is a room id. y-webrtc subscribes to every room a provider has, but our
 * ticket admits exactly one, so more than a handful of topics is never legitimate.
 * NOTE: the list may be empty: with a `password`, y-webrtc opens its room only after
 * deriving the key, and a socket that connects first subscribes to `[]`.
 */
const Topics = z.array(z.string().min(1).max(128)).max(8);

export const SignalSubscribe = z.object({ type: z.literal('subscribe'), topics: Topics });
export const SignalUnsubscribe = z.object({ type: z.literal('unsubscribe'), topics: Topics });
/**
 * `data` is opaque to the server: y-webrtc encrypts it with the room's password (ours
 * is derived from K_sig), so it is a base64 string; unencrypted y-webrtc sends an object.
 * The relay forwards the frame untouched apart from the `clients` count y-webrtc adds.
 */
export const SignalPublish = z.object({
  type: z.literal('publish'),
  topic: z.string().min(1).max(128),
  data: z.union([z.string(), z.record(z.string(), z.unknown())]),
});
export const SignalPing = z.object({ type: z.literal('ping') });

export const SignalClientFrame = z.discriminatedUnion('type', [
  SignalSubscribe,
  SignalUnsubscribe,
  SignalPublish,
  SignalPing,
]);
export type SignalClientFrame = z.infer<typeof SignalClientFrame>;

/** What the relay sends: a publish (with the receiver count) or a pong. */
export const SignalServerFrame = z.discriminatedUnion('type', [
  SignalPublish.extend({ clients: z.number().int().nonnegative() }),
  z.object({ type: z.literal('pong') }),
]);
export type SignalServerFrame = z.infer<typeof SignalServerFrame>;

/** WebSocket close codes the relay uses, beyond the standard 1007/1009. */
export const SignalCloseCode = {
  /** RFC 6455: the frame did not parse or failed the schema. */
  invalidFrame: 1007,
  /** RFC 6455: the frame was over MAX_SIGNAL_FRAME_BYTES. */
  tooBig: 1009,
  /** The ticket expired while connected; re-admit to reconnect. */
  ticketExpired: 4001,
  /** The host or an admin removed this user from the room. */
  kicked: 4003,
  /** This user is banned from the room (or their account or IP is banned). */
  banned: 4004,
  /** The room was closed by its host or an admin. */
  roomClosed: 4010,
  /** Too many frames; the client is throttled and then dropped. */
  rateLimited: 4029,
  /** The socket could not keep up (bufferedAmount too large) and was dropped. */
  slowConsumer: 4008,
} as const;

// ---------------------------------------------------------------------------
// HTTP API (DESIGN.md section 9)
// ---------------------------------------------------------------------------

/** Every API error: `{ error: { code, message } }`, the message written for a person. */
export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ApiError = z.infer<typeof ApiError>;

export const Username = z
  .string()
  .min(3, 'a username has at least 3 characters')
  .max(32, 'a username has at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'a username uses only letters, digits, "_", "." and "-"');

export const Password = z
  .string()
  .min(10, 'a password has at least 10 characters')
  .max(1024, 'a password has at most 1024 characters');

/** 32 bytes in base64url without padding: a SHA-256 digest, K_admit, a reset token. */
export const Base64Url32 = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes in base64url (43 characters)');

export const RegisterRequest = z.strictObject({
  username: Username,
  password: Password,
  /** Only needed for password-reset mail when the server has SMTP configured. */
  email: z.email().max(254).optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z.strictObject({
  username: Username,
  password: z.string().min(1, 'enter your password').max(1024, 'that password is too long'),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const UserRole = z.enum(['user', 'admin']);
export const MeResponse = z.object({ id: z.number(), username: z.string(), role: UserRole });
export type MeResponse = z.infer<typeof MeResponse>;

/** Changing the password needs the current one, so a borrowed session cannot do it. */
export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1, 'enter your current password').max(1024),
  newPassword: Password,
});
/** Deleting the account needs the password too. */
export const DeleteAccountRequest = z.strictObject({
  password: z.string().min(1, 'enter your password').max(1024),
});

export const PasswordResetRequest = z.strictObject({ username: Username });
export const PasswordResetConfirm = z.strictObject({ token: Base64Url32, password: Password });

export const DeviceKeyAlgorithm = z.enum(['ed25519', 'ecdsa-p256']);
/** One device's identity public key, published for invitations. */
export const PutDeviceKeyRequest = z.strictObject({
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a device id is 1-64 base64url characters'),
  algorithm: DeviceKeyAlgorithm,
  publicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43,200}$/, 'a public key is 43-200 base64url characters'),
});
export type PutDeviceKeyRequest = z.infer<typeof PutDeviceKeyRequest>;
export const UserKeysResponse = z.object({
  username: z.string(),
  keys: z.array(
    z.object({
      deviceId: z.string(),
      algorithm: DeviceKeyAlgorithm,
      publicKey: z.string(),
      updatedAt: z.number(),
    }),
  ),
});
export type UserKeysResponse = z.infer<typeof UserKeysResponse>;

export const RoomCipher = z.enum(['aes-256-gcm', 'xchacha20-poly1305', 'aes-256-cbc-hmac-sha512']);
export const CreateRoomRequest = z.strictObject({
  /** base64url(SHA-256(K_admit)): all the server ever learns of the room key. */
  verifier: Base64Url32,
  password: z.string().min(1).max(1024).optional(),
  capacity: z.number().int().min(2).max(64).default(16),
  cipher: RoomCipher.default('aes-256-gcm'),
  /** Seconds received files are kept before devices delete them. */
  fileTtl: z
    .number()
    .int()
    .min(60)
    .max(90 * 86400)
    .default(7 * 86400),
  /** Largest file members may offer, in bytes; absent means no limit beyond storage. */
  maxFileBytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type CreateRoomRequest = z.input<typeof CreateRoomRequest>;
export const CreateRoomResponse = z.object({ id: RoomId });

export const AdmitRequest = z.strictObject({
  /** base64url(K_admit). */
  admit: Base64Url32,
  password: z.string().min(1).max(1024).optional(),
});
export type AdmitRequest = z.infer<typeof AdmitRequest>;
export const RoomInfo = z.object({
  id: RoomId,
  host: z.string(),
  isHost: z.boolean(),
  capacity: z.number(),
  cipher: RoomCipher,
  fileTtl: z.number(),
  /** Present only when the host set a maximum file size for the room. */
  maxFileBytes: z.number().int().positive().optional(),
});
export const AdmitResponse = z.object({
  ticket: z.string(),
  expiresAt: z.number(),
  room: RoomInfo,
});
export type AdmitResponse = z.infer<typeof AdmitResponse>;

/** Host moderation: kick, ban, unban a member by username. */
export const RoomMemberAction = z.strictObject({ user: Username });

export const IceResponse = z.object({
  iceServers: z.array(
    z.object({
      urls: z.array(z.string()),
      username: z.string().optional(),
      credential: z.string().optional(),
    }),
  ),
});
export type IceResponse = z.infer<typeof IceResponse>;

export const AdminIpRequest = z.strictObject({ ip: z.union([z.ipv4(), z.ipv6()]) });
export const AdminRoomKick = z.strictObject({ user: Username });
/** `GET /api/admin/security-log?limit=&before=`: newest first, paged by sequence number. */
export const AdminLogQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  before: z.coerce.number().int().positive().optional(),
});

// ---------------------------------------------------------------------------
// Peer-to-peer (secure channel payloads): what peers send each other, never the server
// ---------------------------------------------------------------------------

/** NOTE: Chromium drops data-channel messages over 256 KiB; history pages stay far below. */
export const P2P_MAX_PAGE_BYTES = 64 * 1024;
/** A data-channel frame bigger than this is dropped and counted, never parsed. */
export const P2P_MAX_FRAME_BYTES = 96 * 1024;
/** Longest chat message, in UTF-16 code units. */
export const P2P_MAX_TEXT = 16_000;
/** A room's name: chosen by its host, never sent to the server (only to members, E2E). */
export const ROOM_NAME_MAX = 100;
const RoomName = z.string().trim().min(1).max(ROOM_NAME_MAX);

const B64Url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'expected base64url');
/** Hex SHA-256 of an identity key (alg label and public key): a device id. */
export const DeviceId = z.string().regex(/^[0-9a-f]{64}$/, 'a device id is 64 hex characters');

export const AuthorKey = z.strictObject({
  alg: z.enum(['ed25519', 'ecdsa-p256']),
  /** base64url of the raw public key (32 or 65 bytes). */
  key: B64Url(43, 88),
});
export type AuthorKey = z.infer<typeof AuthorKey>;

// --- Files (DESIGN.md section 8) ---------------------------------------------------------

/** A file's id: 16 random bytes, base64url. Also bound into its chunk cipher's context. */
export const FileId = B64Url(22, 22);
/** C2SP chunked encryption's fixed plaintext chunk size. */
export const FILE_CHUNK_SIZE = 16384;
/** Largest offered file (64 TiB): far below the C2SP limit of 2^38 chunks. */
export const FILE_MAX_SIZE = 2 ** 46;
export const FILE_NAME_MAX = 255;

/**
 * A file offer, inside a signed chat envelope (`file`), so it is stored in history and
 * gossiped like any message. It carries the per-file key: the envelope only ever travels
 * over pairwise secure channels and rests under the device data key.
 */
export const FileOffer = z.strictObject({
  id: FileId,
  name: z.string().min(1).max(FILE_NAME_MAX),
  size: z.number().int().nonnegative().max(FILE_MAX_SIZE),
  /** MIME type as the sender's platform reported it ('' if unknown). */
  type: z.string().max(255),
  /** Hex SHA-256 of the whole plaintext. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  chunkSize: z.literal(FILE_CHUNK_SIZE),
  /** base64url of the 32-byte per-file key (C2SP input key). */
  key: B64Url(43, 43),
  /** base64url of the 56-byte C2SP header (salt || commitment). */
  header: B64Url(75, 75),
  /** ms since the epoch: devices delete the file's data after this. */
  expiresAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type FileOffer = z.infer<typeof FileOffer>;

/** Half-open range of chunk indexes [from, to). */
export const ChunkRange = z
  .strictObject({
    from: z
      .number()
      .int()
      .nonnegative()
      .max(2 ** 38),
    to: z
      .number()
      .int()
      .positive()
      .max(2 ** 38),
  })
  .refine((r) => r.from < r.to, 'an empty chunk range');
export type ChunkRange = z.infer<typeof ChunkRange>;
export const FILE_REQUEST_MAX_RANGES = 64;
const FileRequestId = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31);

/**
 * Chunk frames travel on their own negotiated data channel (FILE_CHANNEL_ID) so chat stays
 * responsive; they are not wrapped in the secure channel because every chunk is already
 * sealed (C2SP, AES-256-GCM) under the per-file key that only the offer carries. Layout,
 * big-endian: kind u8 (FileFrameKind) | file id 16 bytes | request id u32 | first chunk
 * index u48 (u16 high, u32 low) | chunk count u16 | reserved 3 bytes | sealed chunks,
 * back to back (each 16 KiB + 16, the file's final chunk shorter). An 'end' frame has
 * no chunks: the sender finished answering that request.
 */
export const FILE_CHANNEL_ID = 8;
export const FILE_FRAME_HEADER_BYTES = 32;
/** NOTE: Chromium drops data-channel messages over 256 KiB. */
export const FILE_FRAME_MAX_BYTES = 256 * 1024;
/** 15 sealed chunks (16400 bytes each) plus the header fit one 256 KiB message. */
export const FILE_CHUNKS_PER_FRAME = 15;
export const FileFrameKind = { chunks: 1, end: 2 } as const;

/** What an author signs for one chat message (canonical JSON; see client/crypto/identity). */
export const ChatEnvelope = z.strictObject({
  v: z.literal(1),
  kind: z.literal('chat'),
  room: RoomId,
  author: AuthorKey,
  /** = fingerprint of `author`; with `counter` the message's id. */
  device: DeviceId,
  counter: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  lamport: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  epoch: z.number().int().min(0).max(1_000_000),
  sentAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  username: Username,
  displayName: z.string().max(64),
  text: z.string().min(1).max(P2P_MAX_TEXT),
  /** Present when the message offers a file. */
  file: FileOffer.optional(),
});
export type ChatEnvelope = z.infer<typeof ChatEnvelope>;

/** The host's order to drop an identity, signed by the host's identity key. */
export const ModerationEnvelope = z.strictObject({
  v: z.literal(1),
  kind: z.enum(['kick', 'ban']),
  room: RoomId,
  author: AuthorKey,
  /** The host's username (peers check it against the server's `room.host`). */
  username: Username,
  target: Username,
  /** The removed member's device ids the host knew of (may be empty). */
  devices: z.array(DeviceId).max(16),
  issuedAt: z.number().int().nonnegative(),
});
export type ModerationEnvelope = z.infer<typeof ModerationEnvelope>;

export const SignedChat = z.strictObject({ envelope: ChatEnvelope, sig: B64Url(40, 200) });
export type SignedChat = z.infer<typeof SignedChat>;
export const SignedModeration = z.strictObject({
  envelope: ModerationEnvelope,
  sig: B64Url(40, 200),
});
export type SignedModeration = z.infer<typeof SignedModeration>;

export const HighWaterMarkWire = z.strictObject({
  device: DeviceId,
  contiguous: z.number().int().nonnegative(),
  highest: z.number().int().nonnegative(),
});

const MessageRef = z.strictObject({ device: DeviceId, counter: z.number().int().min(1) });

export const PeerMessage = z.discriminatedUnion('type', [
  /** First message on a fresh channel: who I say I am (bound to the channel's identity key). */
  z.strictObject({
    type: z.literal('intro'),
    username: Username,
    displayName: z.string().max(64),
    device: DeviceId,
    epoch: z.number().int().nonnegative(),
    /** Sent by the host only: members learn the room's name from it. */
    roomName: RoomName.optional(),
  }),
  /** The host renamed the room (members ignore this from anyone else). */
  z.strictObject({ type: z.literal('room-name'), name: RoomName }),
  /** New messages, sent live to every connected peer. */
  z.strictObject({ type: z.literal('chat'), messages: z.array(SignedChat).min(1).max(256) }),
  /** "This is what I have": the receiver answers with pages of what I lack. */
  z.strictObject({ type: z.literal('marks'), marks: z.array(HighWaterMarkWire).max(4096) }),
  /** History sync: at most P2P_MAX_PAGE_BYTES of JSON; `done` on the last one. */
  z.strictObject({
    type: z.literal('page'),
    messages: z.array(SignedChat).max(1024),
    done: z.boolean(),
  }),
  /** Receipt for messages written by the receiver of the ack. */
  z.strictObject({ type: z.literal('ack'), ids: z.array(MessageRef).min(1).max(1024) }),
  z.strictObject({ type: z.literal('moderation'), order: SignedModeration }),
  /** The host hands the next epoch secret to a remaining member (secure channel only). */
  z.strictObject({
    type: z.literal('epoch'),
    epoch: z.number().int().min(1),
    secret: B64Url(43, 43),
  }),
  /** "Tell me your marks": sent after a sync taught us something, so we can pass it on. */
  z.strictObject({ type: z.literal('want-marks') }),
  /** "I am leaving": the receiver stops sending and closes the connection itself. */
  z.strictObject({ type: z.literal('bye') }),
  /** "Send me these chunks of this file" (answered on the file channel, then 'end'). */
  z.strictObject({
    type: z.literal('file-request'),
    file: FileId,
    req: FileRequestId,
    ranges: z.array(ChunkRange).min(1).max(FILE_REQUEST_MAX_RANGES),
  }),
  /**
   * "I have these of what you asked for": their frames follow on the file channel. Sent
   * only when that is part of it: a peer holding all of it just sends the frames.
   */
  z.strictObject({
    type: z.literal('file-have'),
    file: FileId,
    req: FileRequestId,
    ranges: z.array(ChunkRange).min(1).max(FILE_REQUEST_MAX_RANGES),
  }),
  /** "I have none of what you asked for": ask someone else. */
  z.strictObject({ type: z.literal('file-missing'), file: FileId, req: FileRequestId }),
  /** "Stop answering this request" (paused, cancelled, or got it elsewhere). */
  z.strictObject({ type: z.literal('file-cancel'), file: FileId, req: FileRequestId }),
]);
export type PeerMessage = z.infer<typeof PeerMessage>;

/** y-webrtc's signaling payload, inside our K_sig seal (checked after opening). */
export const SignalPayload = z.discriminatedUnion('type', [
  z.object({ type: z.literal('announce'), from: z.string().min(1).max(64) }),
  z.object({
    type: z.literal('signal'),
    from: z.string().min(1).max(64),
    to: z.string().min(1).max(64),
    token: z.number().optional(),
    signal: z.record(z.string(), z.unknown()),
  }),
]);
export type SignalPayload = z.infer<typeof SignalPayload>;
