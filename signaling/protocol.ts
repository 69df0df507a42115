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
 */
const Topics = z.array(z.string().min(1).max(128)).min(1).max(8);

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
