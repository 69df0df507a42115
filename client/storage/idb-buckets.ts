// Message content in IndexedDB is sealed in buckets of up to BUCKET_SIZE messages of one
// room, not one record per message. Every read and write of a sealed record is one
// crypto api call (a worker round trip and a WebCrypto operation); reading or searching
// 100,000 stored messages must cost ~1,600 of those, not 100,000. The per-message index
// rows (schema.ts) say which bucket holds each message.
import { z } from 'zod';
import { HistoryStoreError, type StoredMessage } from '../core/history-store';
import type { RecordSealer } from './record-sealer';
import { StoredMessageSchema } from './records';
import type { BucketRow, MessageRow } from './schema';

/** Messages per bucket: a page of history (50) mostly lives in one or two buckets. */
export const BUCKET_SIZE = 64;

const BucketContent = z.array(StoredMessageSchema).max(BUCKET_SIZE);

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
    const messages = await this.sealer.open(
      location(row.roomId, row.bucket),
      row.sealed,
      BucketContent,
      'message bucket',
    );
    if (messages.length !== row.count || messages.some((m) => m.roomId !== row.roomId)) {
      throw new HistoryStoreError('corrupt', 'A stored message bucket does not match its entry.');
    }
    return messages;
  }

  /**
   * The messages of these index rows, in the same order, opening each bucket once. A row
   * whose bucket is gone (its room deleted meanwhile) is left out.
   */
  async messagesFor(
    rows: readonly MessageRow[],
    getBucket: (roomId: string, bucket: number) => Promise<BucketRow | undefined>,
  ): Promise<StoredMessage[]> {
    const wanted = new Map<string, { roomId: string; bucket: number }>();
    for (const row of rows) wanted.set(bucketId(row.roomId, row.bucket), row);
    const opened = new Map<string, Map<string, StoredMessage>>();
    await Promise.all(
      [...wanted].map(async ([id, { roomId, bucket }]) => {
        const bucketRow = await getBucket(roomId, bucket);
        if (!bucketRow) return;
        const messages = await this.open(bucketRow);
        opened.set(id, new Map(messages.map((m) => [slot(m.authorDevice, m.counter), m])));
      }),
    );
    const out: StoredMessage[] = [];
    for (const row of rows) {
      const bucket = opened.get(bucketId(row.roomId, row.bucket));
      if (!bucket) continue;
      out.push(pick(bucket, row));
    }
    return out;
  }
}

/** The row's message from its opened bucket; the clear index fields must agree with it. */
function pick(bucket: Map<string, StoredMessage>, row: MessageRow): StoredMessage {
  const message = bucket.get(slot(row.authorDevice, row.counter));
  if (!message || message.lamport !== row.lamport) {
    throw new HistoryStoreError('corrupt', 'A stored message does not match its index entry.');
  }
  return message;
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
