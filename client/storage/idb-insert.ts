// Storing new messages in IndexedDB: plan outside any transaction (which of them are new,
// which buckets they go in, sealed), then commit in one transaction that checks nothing
// it relied on changed meanwhile (another tab). A failed check means: plan again.
import { HistoryStoreError, type StoredMessage } from '../core/history-store';
import { constantTimeEqual } from '../crypto/primitives/bytes';
import { messageKey, roomRange, type ChatDatabase } from './db';
import { BUCKET_SIZE, type Buckets } from './idb-buckets';
import { compareOrder } from './records';

export const MAX_ATTEMPTS = 20;

/** After a lost race, wait a little (randomised, growing) so the two writers fall out of step. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function busy(): HistoryStoreError {
  return new HistoryStoreError('io', 'Another tab kept changing this conversation; try again.');
}

interface BucketWrite {
  readonly roomId: string;
  readonly bucket: number;
  /** Everything the bucket will hold. */
  readonly messages: StoredMessage[];
  /** The new ones among them: each gets an index row. */
  readonly added: StoredMessage[];
  /** The sealed bytes this plan read and extends; undefined for a new bucket. */
  readonly previous?: Uint8Array;
  sealed?: Uint8Array;
}

export interface InsertPlan {
  /** The messages not stored yet, in input order. */
  readonly fresh: StoredMessage[];
  readonly writes: BucketWrite[];
}

export async function planInsert(
  db: ChatDatabase,
  buckets: Buckets,
  unique: readonly StoredMessage[],
): Promise<InsertPlan> {
  const tx = db.transaction(['messages', 'buckets']);
  const present = await Promise.all(
    unique.map((m) => tx.objectStore('messages').getKey(messageKey(m))),
  );
  const fresh = unique.filter((_, i) => present[i] === undefined);
  const byRoom = new Map<string, StoredMessage[]>();
  for (const m of fresh) byRoom.set(m.roomId, [...(byRoom.get(m.roomId) ?? []), m]);
  const lastBuckets = await Promise.all(
    [...byRoom.keys()].map((roomId) =>
      tx.objectStore('buckets').openCursor(roomRange(roomId), 'prev'),
    ),
  );
  const writes: BucketWrite[] = [];
  await Promise.all(
    [...byRoom].map(async ([roomId, incoming], i) => {
      // Lamport order inside buckets keeps a page of history in as few buckets as possible.
      const queue = incoming.sort(compareOrder);
      const last = lastBuckets[i]?.value;
      if (last && last.count < BUCKET_SIZE) {
        const added = queue.splice(0, BUCKET_SIZE - last.count);
        const messages = [...(await buckets.open(last)), ...added];
        writes.push({ roomId, bucket: last.bucket, messages, added, previous: last.sealed });
      }
      let next = (last?.bucket ?? 0) + 1;
      while (queue.length > 0) {
        const added = queue.splice(0, BUCKET_SIZE);
        writes.push({ roomId, bucket: next++, messages: added, added });
      }
    }),
  );
  await Promise.all(
    writes.map(async (w) => {
      w.sealed = await buckets.seal(w.roomId, w.bucket, w.messages);
    }),
  );
  return { fresh, writes };
}

/** True when committed; false when another writer got in first (plan again). */
export async function commitInsert(db: ChatDatabase, plan: InsertPlan): Promise<boolean> {
  const tx = db.transaction(['messages', 'buckets', 'marks', 'outbox'], 'readwrite');
  const rows = tx.objectStore('messages');
  const bucketStore = tx.objectStore('buckets');
  const [current, present] = await Promise.all([
    Promise.all(plan.writes.map((w) => bucketStore.get([w.roomId, w.bucket]))),
    Promise.all(plan.fresh.map((m) => rows.getKey(messageKey(m)))),
  ]);
  const unchanged = plan.writes.every((w, i) =>
    w.previous
      ? current[i] !== undefined && constantTimeEqual(current[i].sealed, w.previous)
      : current[i] === undefined,
  );
  if (!unchanged || present.some((key) => key !== undefined)) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return false;
  }
  const puts: Promise<unknown>[] = [];
  for (const w of plan.writes) {
    const { roomId, bucket, messages } = w;
    puts.push(bucketStore.put({ roomId, bucket, count: messages.length, sealed: w.sealed! }));
    for (const { authorDevice, counter, lamport, state } of w.added) {
      puts.push(rows.put({ roomId, authorDevice, counter, lamport, bucket }));
      if (state === 'pending') {
        puts.push(tx.objectStore('outbox').put({ roomId, authorDevice, counter, lamport }));
      }
    }
  }
  const byAuthor = new Map<string, { roomId: string; authorDevice: string; counters: number[] }>();
  for (const { roomId, authorDevice, counter } of plan.fresh) {
    const group = JSON.stringify([roomId, authorDevice]);
    const entry = byAuthor.get(group) ?? { roomId, authorDevice, counters: [] };
    entry.counters.push(counter);
    byAuthor.set(group, entry);
  }
  const marks = tx.objectStore('marks');
  for (const { roomId, authorDevice, counters } of byAuthor.values()) {
    const mark = (await marks.get([roomId, authorDevice])) ?? { contiguous: 0, highest: 0 };
    const added = new Set(counters);
    let contiguous = mark.contiguous;
    // Advance over the new counters, and over ones stored earlier above the old gap.
    while (
      added.has(contiguous + 1) ||
      (contiguous + 1 <= mark.highest &&
        (await rows.getKey([roomId, authorDevice, contiguous + 1])) !== undefined)
    ) {
      contiguous++;
    }
    const highest = counters.reduce((max, c) => Math.max(max, c), mark.highest);
    puts.push(marks.put({ roomId, authorDevice, contiguous, highest }));
  }
  await Promise.all([...puts, tx.done]);
  return true;
}
