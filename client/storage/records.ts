// The shapes both stores accept and read back, checked with zod. Writes are checked so a
// bad value from a peer (a counter of 1e300, a NaN Lamport) is refused before it lands in
// an index; reads are checked because a database may have been written by another
// version of the app.
import { z } from 'zod';
import { CIPHER_SUITES, type CipherSuite } from '../crypto/primitives/aead';
import {
  HistoryStoreError,
  type HistoryCursor,
  type PinnedIdentity,
  type StorableValue,
  type StoredMessage,
  type StoredRoom,
} from '../core/history-store';

const Id = z.string().min(1).max(256);
const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Counter = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Time = z.number().finite();
// z.instanceof would narrow to Uint8Array<ArrayBuffer>; stored values may sit on any buffer.
const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array);

const MAX_DEPTH = 32;

// Hand-written rather than a recursive zod union: a sync page is hundreds of envelopes and
// this runs on each of them, several times faster.
function isStorable(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null || value instanceof Uint8Array) return true;
      if (Array.isArray(value)) return value.every((item) => isStorable(item, depth + 1));
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false; // no class instances
      return Object.values(value).every((item) => isStorable(item, depth + 1));
    }
    default:
      return false;
  }
}

const Envelope = z.custom<{ readonly [key: string]: StorableValue }>(
  (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && isStorable(value),
);

export const StoredRoomSchema = z.object({
  roomId: Id,
  name: z.string().max(1024),
  origin: z.string().max(2048),
  cipher: z.custom<CipherSuite>(
    (value) => typeof value === 'string' && (CIPHER_SUITES as readonly string[]).includes(value),
  ),
  keyAgreement: z.enum(['x25519', 'p521']),
  role: z.enum(['host', 'member']),
  epoch: Count,
  secrets: z.array(z.object({ epoch: Count, record: Bytes })),
  removed: z.array(z.string().max(1024)),
  readLamport: Count,
  ended: z.enum(['closed', 'kicked', 'banned']).optional(),
  createdAt: Time,
}) satisfies z.ZodType<StoredRoom>;

export const StoredMessageSchema = z.object({
  roomId: Id,
  authorDevice: Id,
  counter: Counter,
  lamport: Count,
  epoch: Count,
  sentAt: Time,
  envelope: Envelope,
  signature: Bytes,
  state: z.enum(['pending', 'sent', 'delivered']),
  receivedAt: Time,
}) satisfies z.ZodType<StoredMessage>;

export const PinnedIdentitySchema = z.object({
  username: z.string().min(1).max(256),
  alg: z.enum(['ed25519', 'ecdsa-p256']),
  publicKey: Bytes,
  fingerprint: z.string().min(1).max(256),
  verified: z.boolean(),
  pinnedAt: Time,
}) satisfies z.ZodType<PinnedIdentity>;

/** Validates a value handed to a store; throws HistoryStoreError('invalid') naming the field. */
export function checkInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') || 'value';
    throw new HistoryStoreError('invalid', `This ${what} can't be stored: ${path} is invalid.`);
  }
  return parsed.data;
}

/** Validates a decrypted record; a mismatch means the data is damaged or from elsewhere. */
export function checkStored<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HistoryStoreError('corrupt', `A stored ${what} is damaged and can't be read.`);
  }
  return parsed.data;
}

/** History order: Lamport time, then author device and counter to break ties the same way everywhere. */
export function compareOrder(a: HistoryCursor, b: HistoryCursor): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport;
  if (a.authorDevice !== b.authorDevice) return a.authorDevice < b.authorDevice ? -1 : 1;
  return a.counter - b.counter;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 10_000;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new HistoryStoreError('invalid', 'A page limit is a positive whole number.');
  }
  return Math.min(limit, MAX_PAGE);
}
