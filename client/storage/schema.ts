// Every IndexedDB store, key and index the app has, declared once (STYLE.md "Storage is
// typed once"). The database is opened only in db.ts.
//
// Each row keeps in the clear only what an index or key must compare; everything else is
// sealed (encryptRecord with the device data key, the record's location in the AAD):
// - roomId: the server assigns it and sees it on every request anyway; per-room ranges
//   (a page of history, deleting a conversation) need it as the key prefix.
// - authorDevice + counter: the message id. Duplicates from gossip are refused by key,
//   and history sync asks for "this author's messages after counter N" as a key range.
//   They say which device wrote how many messages in a room, not who or what.
// - lamport: history is paged newest first by Lamport time; ordering without it would
//   mean decrypting the whole room to show one page.
// - bucket (+ count): which sealed bucket holds the message (idb-buckets.ts says why
//   content is sealed 64 messages at a time).
// Usernames, display names, room names, message text, keys and signatures are sealed.
import type { DBSchema } from 'idb';
import type { WrappedDataKey } from '../crypto/at-rest';
import type { DeviceWrappedDataKey } from '../crypto/worker-api/device-key';

export interface SealedRoomRow {
  readonly roomId: string;
  readonly sealed: Uint8Array;
}

/** A message's index entry: its content is in the bucket it names. */
export interface MessageRow {
  readonly roomId: string;
  readonly authorDevice: string;
  readonly counter: number;
  readonly lamport: number;
  readonly bucket: number;
}

/** Up to BUCKET_SIZE messages of one room, sealed together; numbered from 1 per room. */
export interface BucketRow {
  readonly roomId: string;
  readonly bucket: number;
  readonly count: number;
  readonly sealed: Uint8Array;
}

/** Per room and author device: derived from message keys, so nothing new is revealed. */
export interface MarkRow {
  readonly roomId: string;
  readonly authorDevice: string;
  readonly contiguous: number;
  readonly highest: number;
}

/** A pending message's key: the content stays in its (sealed) message row. */
export interface OutboxRow {
  readonly roomId: string;
  readonly authorDevice: string;
  readonly counter: number;
  readonly lamport: number;
}

/** Pins are keyed by a random id: a username as the key would be readable. */
export interface SealedPinRow {
  readonly id: string;
  readonly sealed: Uint8Array;
}

/**
 * Device-wide records: the data key, wrapped as the crypto worker produced it. Exactly one
 * of the two exists: 'wrapped-data-key' under the passphrase (Argon2id) when a passphrase
 * is set, else 'device-wrapped-data-key' under the worker's non-extractable device key.
 * (The identity key pair and the device key are kept by the crypto worker in its own
 * database.)
 */
export type DeviceRow =
  | { readonly name: 'wrapped-data-key'; readonly value: WrappedDataKey }
  | { readonly name: 'device-wrapped-data-key'; readonly value: DeviceWrappedDataKey };

/** Schema v2: a room's unsent composer text, sealed; keyed by room id like rooms. */
export interface SealedDraftRow {
  readonly roomId: string;
  readonly sealed: Uint8Array;
}

/** Schema v2: an app setting (display name, toggles, the remembered account), sealed. */
export interface SealedSettingRow {
  readonly name: string;
  readonly sealed: Uint8Array;
}

export type MessageKey = [roomId: string, authorDevice: string, counter: number];
export type OrderKey = [roomId: string, lamport: number, authorDevice: string, counter: number];

export interface ChatDB extends DBSchema {
  rooms: { key: string; value: SealedRoomRow };
  messages: { key: MessageKey; value: MessageRow; indexes: { 'by-order': OrderKey } };
  buckets: { key: [roomId: string, bucket: number]; value: BucketRow };
  marks: { key: [roomId: string, authorDevice: string]; value: MarkRow };
  outbox: { key: MessageKey; value: OutboxRow };
  pins: { key: string; value: SealedPinRow };
  device: { key: DeviceRow['name']; value: DeviceRow };
  drafts: { key: string; value: SealedDraftRow };
  settings: { key: string; value: SealedSettingRow };
}
