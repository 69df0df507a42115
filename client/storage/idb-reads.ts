// Reads of the IndexedDB history that must stay fast at 100,000 messages in a room. In
// Chromium an IndexedDB database answers one request at a time, so one slow request (a
// count that walks every index entry) holds up everything after it, such as the page of
// history the room screen is waiting for; and each cursor step is a round trip to the
// database, which under load costs a millisecond or more.
import { HIGH, roomRange, type ChatDatabase } from './db';
import type { HistoryCursor } from '../core/history-store';
import type { BucketRow, MessageRow } from './schema';

/**
 * Index rows of the newest `limit` messages before `before` (or the newest of all), newest
 * first, in three requests: find the oldest of them with one cursor jump, then read them
 * all at once (rather than a cursor step per message).
 */
export async function newestRows(
  db: ChatDatabase,
  roomId: string,
  before: HistoryCursor | undefined,
  limit: number,
): Promise<MessageRow[]> {
  const upper = before
    ? [roomId, before.lamport, before.authorDevice, before.counter]
    : [roomId, HIGH];
  const range = IDBKeyRange.bound([roomId], upper, false, true);
  const index = db.transaction('messages').store.index('by-order');
  let cursor = await index.openKeyCursor(range, 'prev');
  if (!cursor) return [];
  if (limit > 1) cursor = await cursor.advance(limit - 1);
  const from = cursor ? IDBKeyRange.bound(cursor.key, upper, false, true) : range;
  const rows = await index.getAll(from, limit);
  return rows.reverse();
}

/**
 * How many messages a room holds, from the high-water marks (every counter up to
 * `contiguous` is stored) plus a count of the few stored above each author's gap: a few
 * requests instead of walking the room's whole index.
 */
export async function countRoom(db: ChatDatabase, roomId: string): Promise<number> {
  const tx = db.transaction(['marks', 'messages']);
  const marks = await tx.objectStore('marks').getAll(roomRange(roomId));
  const counts = await Promise.all(
    marks.map(async ({ authorDevice, contiguous, highest }) => {
      if (highest <= contiguous) return contiguous;
      const above = IDBKeyRange.bound(
        [roomId, authorDevice, contiguous],
        [roomId, authorDevice, Number.MAX_SAFE_INTEGER],
        true,
      );
      return contiguous + (await tx.objectStore('messages').count(above));
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/** Buckets read at once by a scan: enough to keep the crypto worker busy. */
const SCAN_BATCH = 16;

function nextRange(after: IDBValidKey, roomId: string | undefined): IDBKeyRange {
  return roomId === undefined
    ? IDBKeyRange.lowerBound(after, true)
    : IDBKeyRange.bound(after, [roomId, HIGH], true);
}

/**
 * Every bucket (of one room, or all) in storage order, a batch at a time, each opened with
 * `open` (in parallel within a batch); `visit` returns false to stop early.
 */
export async function scanBuckets<T>(
  db: () => ChatDatabase,
  roomId: string | undefined,
  open: (row: BucketRow) => Promise<T>,
  visit: (opened: T) => boolean | void,
): Promise<void> {
  const range = roomId === undefined ? undefined : roomRange(roomId);
  let after: IDBValidKey | undefined;
  for (;;) {
    const bounded = after === undefined ? range : nextRange(after, roomId);
    const rows = await db().getAll('buckets', bounded, SCAN_BATCH);
    if (rows.length === 0) return;
    const opened = await Promise.all(rows.map(open));
    for (const one of opened) if (visit(one) === false) return;
    const last = rows.at(-1)!;
    after = [last.roomId, last.bucket];
  }
}
