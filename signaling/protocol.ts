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
