// Message content in IndexedDB is sealed in buckets of up to BUCKET_SIZE messages of one
// room, not one record per message. Every read and write of a sealed record is one
// crypto api call (a worker round trip and a WebCrypto operation); reading or searching
// 100,000 stored messages must cost ~1,600 of those, not 100,000. The per-message index
// rows (schema.ts) say which bucket holds each message.
import { HistoryStoreError, type StoredMessage } from '../core/history-store';
import type { RecordSealer } from './record-sealer';
import type { BucketRow, MessageRow } from './schema';
import type { IndexableMessage } from './search-index';
import { readIndexable, readStoredMessage } from './stored-message-reader';

/** Messages per bucket: a page of history (50) mostly lives in one or two buckets. */
export const BUCKET_SIZE = 64;

/** A message of an opened bucket as JSON.parse returned it: decoded only when needed. */
type RawMessage = Readonly<Record<string, unknown>>;

function mismatch(): HistoryStoreError {
  return new HistoryStoreError('corrupt', 'A stored message bucket does not match its entry.');
}

function location(roomId: string, bucket: number) {
  return { store: 'buckets', id: JSON.stringify([roomId, bucket]) };
}

export function bucketId(roomId: string, bucket: number): string {
  return JSON.stringify([roomId, bucket]);
}

function slot(authorDevice: string, counter: number): string {
  return `${authorDevice}\n${counter}`;
}

export class Buckets {
  constructor(private readonly sealer: RecordSealer) {}

  seal(roomId: string, bucket: number, messages: readonly StoredMessage[]): Promise<Uint8Array> {
    return this.sealer.seal(location(roomId, bucket), messages);
  }

  async open(row: BucketRow): Promise<StoredMessage[]> {
    return (await this.#openRaw(row)).map(readStoredMessage);
  }

  /** The bucket's messages, only as far as the search index reads them. */
  async openIndexable(row: BucketRow): Promise<IndexableMessage[]> {
    return (await this.#openRaw(row)).map((raw) => readIndexable(raw, row.bucket));
  }

  /**
   * The messages of these index rows, in the same order, opening each bucket once and
   * decoding only the messages asked for. A row whose bucket is gone (its room deleted
   * meanwhile) is left out; so is, when `stale` (rows from the search index, which may be
   * behind another tab), one its bucket does not hold, which otherwise means damage.
   */
  async messagesFor(
    rows: readonly MessageRow[],
    getBucket: (roomId: string, bucket: number) => Promise<BucketRow | undefined>,
    stale = false,
  ): Promise<StoredMessage[]> {
    const wanted = new Map<string, { roomId: string; bucket: number }>();
    for (const row of rows) wanted.set(bucketId(row.roomId, row.bucket), row);
    const opened = new Map<string, Map<string, RawMessage>>();
    await Promise.all(
      [...wanted].map(async ([id, { roomId, bucket }]) => {
        const bucketRow = await getBucket(roomId, bucket);
        if (!bucketRow) return;
        const messages = await this.#openRaw(bucketRow);
        opened.set(
          id,
          new Map(messages.map((m) => [slot(String(m.authorDevice), Number(m.counter)), m])),
        );
      }),
    );
    const out: StoredMessage[] = [];
    for (const row of rows) {
      const bucket = opened.get(bucketId(row.roomId, row.bucket));
      if (!bucket) continue;
      const raw = bucket.get(slot(row.authorDevice, row.counter));
      if (stale && raw?.lamport !== row.lamport) continue;
      out.push(pick(bucket, row));
    }
    return out;
  }

  /** Decrypted and parsed; each message is an object of this bucket's room. */
  async #openRaw(row: BucketRow): Promise<RawMessage[]> {
    const where = location(row.roomId, row.bucket);
    const messages = await this.sealer.openJson(where, row.sealed, 'message bucket');
    if (
      !Array.isArray(messages) ||
      messages.length > BUCKET_SIZE ||
      messages.length !== row.count ||
      messages.some(
        (m: unknown) =>
          typeof m !== 'object' || m === null || (m as RawMessage).roomId !== row.roomId,
      )
    ) {
      throw mismatch();
    }
    return messages as RawMessage[];
  }
}

/** The row's message from its opened bucket; the clear index fields must agree with it. */
function pick(bucket: Map<string, RawMessage>, row: MessageRow): StoredMessage {
  const raw = bucket.get(slot(row.authorDevice, row.counter));
  if (!raw || raw.lamport !== row.lamport) {
    throw new HistoryStoreError('corrupt', 'A stored message does not match its index entry.');
  }
  return readStoredMessage(raw);
}

export function indexOf(messages: readonly StoredMessage[], row: MessageRow): number {
  const at = messages.findIndex(
    (m) => m.authorDevice === row.authorDevice && m.counter === row.counter,
  );
  if (at < 0 || messages[at]!.lamport !== row.lamport) {
    throw new HistoryStoreError('corrupt', 'A stored message does not match its index entry.');
  }
  return at;
}
