// What the room engine keeps on the device (DESIGN.md section 7): rooms, signed messages,
// per-author high-water marks, the outbox and pinned identity keys. Two implementations
// exist: IndexedDB in browsers (client/storage/idb-history-store.ts) and an append-only
// encrypted file in Node (client/cli/file-history-store.ts); both encrypt every record
// with the device data key and pass the same contract tests
// (test/unit/storage/history-store.contract.ts).
//
// Values handed to a store are copied in; values returned are fresh copies, so callers may
// keep or mutate them freely. Every method may reject with HistoryStoreError.
import type { CipherSuite } from '../crypto/primitives/aead';
import type { RecordLocation } from '../crypto/at-rest';
import type { Result } from '../crypto/result';

/** A value a store can persist: JSON plus raw bytes (keys, signatures). */
export type StorableValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | readonly StorableValue[]
  | { readonly [key: string]: StorableValue };

export type DeliveryState = 'pending' | 'sent' | 'delivered';

const DELIVERY_ORDER: Record<DeliveryState, number> = { pending: 0, sent: 1, delivered: 2 };

/** Delivery state only moves forward: a late "sent" never hides a "delivered". */
export function laterDeliveryState(a: DeliveryState, b: DeliveryState): DeliveryState {
  return DELIVERY_ORDER[b] > DELIVERY_ORDER[a] ? b : a;
}

export interface StoredRoom {
  /** The server's room id (also the y-webrtc room name). */
  readonly roomId: string;
  /** The name the user gave the room (local only; the server never learns it). */
  readonly name: string;
  /** The origin the room link points at, e.g. https://chat.example. */
  readonly origin: string;
  readonly cipher: CipherSuite;
  readonly keyAgreement: 'x25519' | 'p521';
  readonly role: 'host' | 'member';
  /** The epoch messages are currently sent under. */
  readonly epoch: number;
  /**
   * The link secret (epoch 0) and every later epoch secret, each only as the opaque
   * record the crypto worker produced (encryptRecord under the data key). A store never
   * sees a secret in the clear.
   */
  readonly secrets: readonly { readonly epoch: number; readonly record: Uint8Array }[];
  /** Identity fingerprints the host removed: their messages and connections are refused. */
  readonly removed: readonly string[];
  /** Lamport time of the newest message the user has seen; unread = newer than this. */
  readonly readLamport: number;
  /** Set when the server said the room is closed or this device was kicked/banned. */
  readonly ended?: 'closed' | 'kicked' | 'banned';
  readonly createdAt: number;
}

export interface StoredMessage {
  readonly roomId: string;
  /** The author's device id (its identity fingerprint): with counter, the message's id. */
  readonly authorDevice: string;
  /** Per author device and room, counting 1, 2, 3... with no gaps at the author. */
  readonly counter: number;
  readonly lamport: number;
  readonly epoch: number;
  /** The author's clock in ms: shown to people, never used for ordering. */
  readonly sentAt: number;
  /**
   * Exactly what the author signed, as received, so it can be relayed to other peers in
   * history sync and verified again by them. Core defines its shape (protocol.ts).
   */
  readonly envelope: { readonly [key: string]: StorableValue };
  readonly signature: Uint8Array;
  /** Local: for my own messages, how far delivery got; others' messages are 'delivered'. */
  readonly state: DeliveryState;
  /** Local clock when this device stored it. */
  readonly receivedAt: number;
}

/** Where a page of history starts (exclusive): the oldest message of the previous page. */
export type HistoryCursor = Pick<StoredMessage, 'lamport' | 'authorDevice' | 'counter'>;

export interface HistoryPageOptions {
  /** Only messages ordered strictly before this one. Omitted: start from the newest. */
  readonly before?: HistoryCursor;
  /** At most this many (default 50). */
  readonly limit?: number;
}

export interface HighWaterMark {
  readonly authorDevice: string;
  /** Every counter 1..contiguous is stored: ask peers only for what comes after. */
  readonly contiguous: number;
  /** The highest counter stored (above contiguous when some are missing). */
  readonly highest: number;
}

/** A pinned identity key (trust on first use), one per username, across all rooms. */
export interface PinnedIdentity {
  readonly username: string;
  readonly alg: 'ed25519' | 'ecdsa-p256';
  readonly publicKey: Uint8Array;
  /** Hex SHA-256 of the key, as the crypto api reports it. */
  readonly fingerprint: string;
  /** True once the user compared the safety number or SAS; reset when the key changes. */
  readonly verified: boolean;
  readonly pinnedAt: number;
}

export interface HistoryStore {
  putRoom(room: StoredRoom): Promise<void>;
  getRoom(roomId: string): Promise<StoredRoom | undefined>;
  /** Most recently created first. */
  listRooms(): Promise<StoredRoom[]>;
  /** Deletes the room with all its messages, marks and outbox entries. */
  deleteRoom(roomId: string): Promise<void>;

  /**
   * Stores messages not stored yet, in one transaction, and returns those that were new
   * (in input order). A message already stored (same room, author device and counter) is
   * left as it was: re-delivery and gossip duplicates are no-ops. Messages in state
   * 'pending' also enter the outbox.
   */
  addMessages(messages: readonly StoredMessage[]): Promise<StoredMessage[]>;
  getMessage(
    roomId: string,
    authorDevice: string,
    counter: number,
  ): Promise<StoredMessage | undefined>;
  /**
   * Moves a message's delivery state forward (never back); leaving 'pending' takes it out
   * of the outbox. Returns the state it is in afterwards (a later one it already had wins),
   * or undefined when no such message is stored.
   */
  setDeliveryState(
    roomId: string,
    authorDevice: string,
    counter: number,
    state: DeliveryState,
  ): Promise<DeliveryState | undefined>;
  /** Newest first by (lamport, authorDevice, counter), at most `limit`. */
  history(roomId: string, options?: HistoryPageOptions): Promise<StoredMessage[]>;
  /** Messages with lamport greater than `afterLamport` (unread counts; all when omitted). */
  countMessages(roomId: string, afterLamport?: number): Promise<number>;
  /** The largest Lamport time stored in the room (0 when empty): the clock restarts above it. */
  maxLamport(roomId: string): Promise<number>;

  /** One mark per author device that has messages in the room. */
  highWaterMarks(roomId: string): Promise<HighWaterMark[]>;
  /** One author's messages with counter > afterCounter, ascending, at most `limit`: sync pages. */
  messagesAfter(
    roomId: string,
    authorDevice: string,
    afterCounter: number,
    limit: number,
  ): Promise<StoredMessage[]>;

  /** Messages still 'pending', oldest first (all rooms when roomId is omitted). */
  outbox(roomId?: string): Promise<StoredMessage[]>;

  getPin(username: string): Promise<PinnedIdentity | undefined>;
  /** Inserts or replaces the pin for pin.username. */
  putPin(pin: PinnedIdentity): Promise<void>;
  listPins(): Promise<PinnedIdentity[]>;

  /** Releases the database or file; the store can't be used after. */
  close(): Promise<void>;
}

/**
 * The two crypto api calls a store needs. `Remote<CryptoApi>` and the api object itself
 * both fit, so a store works through the worker or with the api called directly.
 */
export interface RecordCrypto {
  encryptRecord(
    dataKey: string,
    location: RecordLocation,
    plaintext: Uint8Array,
  ): Promise<Uint8Array>;
  decryptRecord(
    dataKey: string,
    location: RecordLocation,
    stored: Uint8Array,
  ): Promise<Result<Uint8Array>>;
}

/** 'quota': the device is out of storage space; the failed write changed nothing. */
export type HistoryStoreErrorCode = 'corrupt' | 'closed' | 'invalid' | 'io' | 'quota';

/** Storage failed; `message` is for people (it never contains stored content). */
export class HistoryStoreError extends Error {
  override readonly name = 'HistoryStoreError';
  constructor(
    readonly code: HistoryStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The id peers and the UI use for a message: author device and counter. */
export function messageId(authorDevice: string, counter: number): string {
  return `${authorDevice}:${counter}`;
}
