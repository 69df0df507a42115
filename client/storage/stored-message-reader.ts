// Reads messages back out of a decrypted message bucket without zod. The bucket was sealed
// by this device and its AEAD tag checked against its location (record-sealer.ts), so what
// is left to catch is another app version's shape or a bug, not an attacker: plain type
// checks cost a fraction of a zod parse, which over 100,000 messages took seconds. Values
// coming in (addMessages) are still checked with zod (records.ts): that is the boundary.
import {
  HistoryStoreError,
  type DeliveryState,
  type StorableValue,
  type StoredMessage,
} from '../core/history-store';
import type { IndexableMessage } from './search-index';
import { fromStorableJson } from './storable-codec';

const STATES: ReadonlySet<string> = new Set<DeliveryState>(['pending', 'sent', 'delivered']);

function damaged(cause?: unknown): never {
  throw new HistoryStoreError('corrupt', "A stored message bucket is damaged and can't be read.", {
    cause,
  });
}

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= 256;
const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function decode(value: unknown): StorableValue {
  try {
    return fromStorableJson(value);
  } catch (cause) {
    return damaged(cause);
  }
}

/** One message of a bucket, as JSON.parse returned it, to a StoredMessage; throws 'corrupt'. */
export function readStoredMessage(raw: unknown): StoredMessage {
  if (typeof raw !== 'object' || raw === null) damaged();
  const m = raw as Record<string, unknown>;
  const { roomId, authorDevice, counter, lamport, epoch, sentAt, state, receivedAt } = m;
  if (
    !isId(roomId) ||
    !isId(authorDevice) ||
    !isCount(counter) ||
    counter < 1 ||
    !isCount(lamport) ||
    !isCount(epoch) ||
    !isTime(sentAt) ||
    !isTime(receivedAt) ||
    typeof state !== 'string' ||
    !STATES.has(state)
  ) {
    damaged();
  }
  const envelope = decode(m.envelope);
  const signature = decode(m.signature);
  if (
    typeof envelope !== 'object' ||
    envelope === null ||
    Array.isArray(envelope) ||
    envelope instanceof Uint8Array ||
    !(signature instanceof Uint8Array)
  ) {
    damaged();
  }
  return {
    roomId,
    authorDevice,
    counter,
    lamport,
    epoch,
    sentAt,
    envelope: envelope as { readonly [key: string]: StorableValue },
    signature,
    state: state as DeliveryState,
    receivedAt,
  };
}

/** Only what the search index needs (search-index.ts), without decoding the rest. */
export function readIndexable(raw: unknown, bucket: number): IndexableMessage {
  const m = raw as Record<string, unknown>;
  const { roomId, authorDevice, counter, lamport, sentAt, envelope } = m;
  if (
    !isId(roomId) ||
    !isId(authorDevice) ||
    !isCount(counter) ||
    !isCount(lamport) ||
    !isTime(sentAt) ||
    typeof envelope !== 'object' ||
    envelope === null
  ) {
    damaged();
  }
  // Envelope keys starting with '$' are escaped with one more '$' (storable-codec.ts), so
  // the raw `text` key is the envelope's own `text`; bytes there are an object, not a string.
  return { roomId, authorDevice, counter, lamport, sentAt, envelope, bucket };
}
