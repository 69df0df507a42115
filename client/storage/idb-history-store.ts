// The browser's HistoryStore: IndexedDB through idb, every row's content sealed with the
// device data key (schema.ts says which fields stay clear, and why).
//
// NOTE: an IndexedDB transaction commits as soon as it waits on anything but its own
// requests, so crypto happens between transactions: read, decrypt/encrypt, then write in
// a second transaction that re-checks what the first one saw (another tab may write too),
// and starts over if it changed.
import {
  HistoryStoreError,
  laterDeliveryState,
  type DeliveryState,
  type HighWaterMark,
  type HistoryPageOptions,
  type HistoryStore,
  type PinnedIdentity,
  type RecordCrypto,
  type StoredMessage,
  type StoredRoom,
} from '../core/history-store';
import { constantTimeEqual, randomBytes, toBase64Url } from '../crypto/primitives/bytes';
import { HIGH, messageKey, openChatDB, roomRange, type ChatDatabase } from './db';
import { HistoryChanges, type HistoryChange } from './history-changes';
import { HistorySearch } from './history-search';
import type { IndexableMessage } from './search-index';
import { Buckets, indexOf } from './idb-buckets';
import { countRoom, newestRows, scanBuckets } from './idb-reads';
import { MAX_ATTEMPTS, busy, commitInsert, planInsert } from './idb-insert';
import { RecordSealer, SerialQueue } from './record-sealer';
import { backoff } from './idb-insert';
import { guardQuota } from './quota';
import {
  PinnedIdentitySchema,
  StoredMessageSchema,
  StoredRoomSchema,
  checkInput,
  compareOrder,
  pageLimit,
} from './records';
import type { MessageKey, MessageRow, SealedPinRow } from './schema';

/** A search index build waits this long after opening, then for an idle moment. */
const SEARCH_WARM_UP_MS = 3_000;

/**
 * Writes run one at a time in this tab, and, where the Web Locks API exists (browsers),
 * one at a time across tabs too, so the re-check in each write transaction rarely fails.
 * A full disk comes out of any of them as HistoryStoreError('quota').
 */
class WriteQueue {
  readonly #local = new SerialQueue();
  constructor(private readonly lockName: string) {}

  run<T>(job: () => Promise<T>): Promise<T> {
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    return guardQuota(() =>
      this.#local.run(() => (locks ? locks.request(this.lockName, job) : job())),
    );
  }
}

export interface IdbHistoryStoreOptions {
  readonly crypto: RecordCrypto;
  /** A data-key handle from the crypto api. */
  readonly dataKey: string;
  /** The database name; tests use their own. */
  readonly name?: string;
  /**
   * Build the search index when the page is idle a few seconds after opening, rather than
   * on the first search (default: true where requestIdleCallback exists, i.e. browsers).
   */
  readonly warmSearch?: boolean;
  /** How long after opening the warm-up waits first (default SEARCH_WARM_UP_MS). */
  readonly warmSearchAfterMs?: number;
}

export class IdbHistoryStore implements HistoryStore {
  readonly #queue: WriteQueue;
  #db: ChatDatabase | undefined;
  #closedReason = 'The history store is closed.';
  readonly #search: HistorySearch;
  readonly #changes: HistoryChanges;
  #warmUp: ReturnType<typeof setTimeout> | undefined;

  private readonly buckets: Buckets;

  private constructor(
    db: ChatDatabase,
    private readonly sealer: RecordSealer,
  ) {
    this.#db = db;
    this.buckets = new Buckets(sealer);
    this.#queue = new WriteQueue(`history-write:${db.name}`);
    this.#search = new HistorySearch({
      scanIndexable: (visit) =>
        scanBuckets(
          () => this.#open(),
          undefined,
          (row) => this.buckets.openIndexable(row),
          visit,
        ),
      fetch: (rows) => this.#messagesFor(rows, true),
      locate: (keys) => this.#locate(keys),
      scan: (visit, roomId) => this.scanMessages(visit, roomId),
    });
    this.#changes = new HistoryChanges(db.name, (change) => this.#changedElsewhere(change));
  }

  static async open(options: IdbHistoryStoreOptions): Promise<IdbHistoryStore> {
    const db = await openChatDB(options.name);
    const store = new IdbHistoryStore(db, new RecordSealer(options.crypto, options.dataKey));
    const idle = (globalThis as { requestIdleCallback?: (run: () => void) => number })
      .requestIdleCallback;
    if (options.warmSearch ?? idle !== undefined) {
      store.#warmUp = setTimeout(() => {
        const warm = () => store.#db && store.#search.warm();
        if (idle) idle.call(globalThis, warm);
        else warm();
      }, options.warmSearchAfterMs ?? SEARCH_WARM_UP_MS);
    }
    return store;
  }

  async putRoom(room: StoredRoom): Promise<void> {
    const checked = checkInput(StoredRoomSchema, room, 'room');
    const db = this.#open();
    const sealed = await this.sealer.seal({ store: 'rooms', id: checked.roomId }, checked);
    await guardQuota(() => db.put('rooms', { roomId: checked.roomId, sealed }));
  }

  async getRoom(roomId: string): Promise<StoredRoom | undefined> {
    const row = await this.#open().get('rooms', roomId);
    return (
      row && this.sealer.open({ store: 'rooms', id: roomId }, row.sealed, StoredRoomSchema, 'room')
    );
  }

  async listRooms(): Promise<StoredRoom[]> {
    const rows = await this.#open().getAll('rooms');
    const rooms = await Promise.all(
      rows.map((row) =>
        this.sealer.open({ store: 'rooms', id: row.roomId }, row.sealed, StoredRoomSchema, 'room'),
      ),
    );
    return rooms.sort((a, b) => b.createdAt - a.createdAt);
  }

  async deleteRoom(roomId: string): Promise<void> {
    const stores = ['rooms', 'messages', 'buckets', 'marks', 'outbox', 'drafts'] as const;
    const tx = this.#open().transaction(stores, 'readwrite');
    await Promise.all([
      tx.objectStore('rooms').delete(roomId),
      tx.objectStore('drafts').delete(roomId),
      tx.objectStore('messages').delete(roomRange(roomId)),
      tx.objectStore('buckets').delete(roomRange(roomId)),
      tx.objectStore('marks').delete(roomRange(roomId)),
      tx.objectStore('outbox').delete(roomRange(roomId)),
      tx.done,
    ]);
    this.#search.roomDeleted(roomId);
    this.#changes.roomDeleted(roomId);
  }

  async addMessages(messages: readonly StoredMessage[]): Promise<StoredMessage[]> {
    const checked = messages.map((m) => checkInput(StoredMessageSchema, m, 'message'));
    const db = this.#open();
    const unique = [...new Map(checked.map((m) => [JSON.stringify(messageKey(m)), m])).values()];
    return this.#queue.run(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const plan = await planInsert(db, this.buckets, unique);
        if (plan.fresh.length === 0) return [];
        if (await commitInsert(db, plan)) {
          this.#search.added(
            plan.writes.flatMap((w) => w.added.map((m) => ({ ...m, bucket: w.bucket }))),
          );
          this.#changes.stored(plan.fresh.map(messageKey));
          return plan.fresh;
        }
        await backoff(attempt);
      }
      throw busy();
    });
  }

  async getMessage(roomId: string, authorDevice: string, counter: number) {
    const row = await this.#open().get('messages', [roomId, authorDevice, counter]);
    return row && (await this.#messagesFor([row]))[0];
  }

  async setDeliveryState(
    roomId: string,
    authorDevice: string,
    counter: number,
    state: DeliveryState,
  ): Promise<DeliveryState | undefined> {
    const db = this.#open();
    const key: MessageKey = [roomId, authorDevice, counter];
    return this.#queue.run(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const row = await db.get('messages', key);
        const bucketRow = row && (await db.get('buckets', [roomId, row.bucket]));
        if (!row || !bucketRow) return undefined;
        const messages = await this.buckets.open(bucketRow);
        const at = indexOf(messages, row);
        const next = laterDeliveryState(messages[at]!.state, state);
        if (next === messages[at]!.state) return next;
        messages[at] = { ...messages[at]!, state: next };
        const sealed = await this.buckets.seal(roomId, row.bucket, messages);
        const tx = db.transaction(['buckets', 'outbox'], 'readwrite');
        const now = await tx.objectStore('buckets').get([roomId, row.bucket]);
        if (!now || !constantTimeEqual(now.sealed, bucketRow.sealed)) {
          tx.abort();
          await tx.done.catch(() => undefined);
          await backoff(attempt);
          continue;
        }
        await Promise.all([
          tx.objectStore('buckets').put({ ...bucketRow, sealed }),
          tx.objectStore('outbox').delete(key),
          tx.done,
        ]);
        return next;
      }
      throw busy();
    });
  }

  async history(roomId: string, options: HistoryPageOptions = {}): Promise<StoredMessage[]> {
    const limit = pageLimit(options.limit);
    return this.#messagesFor(await newestRows(this.#open(), roomId, options.before, limit));
  }

  async countMessages(roomId: string, afterLamport?: number): Promise<number> {
    if (afterLamport === undefined) return countRoom(this.#open(), roomId);
    const range = IDBKeyRange.bound([roomId, afterLamport, HIGH], [roomId, HIGH], true, true);
    return this.#open().countFromIndex('messages', 'by-order', range);
  }

  async maxLamport(roomId: string): Promise<number> {
    const index = this.#open().transaction('messages').store.index('by-order');
    const newest = await index.openCursor(roomRange(roomId), 'prev');
    return newest?.value.lamport ?? 0;
  }

  async highWaterMarks(roomId: string): Promise<HighWaterMark[]> {
    const rows = await this.#open().getAll('marks', roomRange(roomId));
    return rows.map(({ authorDevice, contiguous, highest }) => ({
      authorDevice,
      contiguous,
      highest,
    }));
  }

  async messagesAfter(roomId: string, authorDevice: string, afterCounter: number, limit: number) {
    const range = IDBKeyRange.bound(
      [roomId, authorDevice, afterCounter],
      [roomId, authorDevice, Number.MAX_SAFE_INTEGER],
      true,
    );
    const rows = await this.#open().getAll('messages', range, pageLimit(limit));
    return this.#messagesFor(rows);
  }

  async outbox(roomId?: string): Promise<StoredMessage[]> {
    const tx = this.#open().transaction(['outbox', 'messages']);
    const range = roomId === undefined ? undefined : roomRange(roomId);
    const pending = await tx.objectStore('outbox').getAll(range);
    const rows = await Promise.all(
      pending.map((p) => tx.objectStore('messages').get(messageKey(p))),
    );
    const messages = await this.#messagesFor(rows.filter((row) => row !== undefined));
    return messages.sort(compareOrder);
  }

  async getPin(username: string): Promise<PinnedIdentity | undefined> {
    return (await this.#pins()).find((p) => p.pin.username === username)?.pin;
  }

  async putPin(pin: PinnedIdentity): Promise<void> {
    const checked = checkInput(PinnedIdentitySchema, pin, 'pinned identity');
    const db = this.#open();
    await this.#queue.run(async () => {
      const same = (await this.#pins()).filter((p) => p.pin.username === checked.username);
      const id = same[0]?.id ?? toBase64Url(randomBytes(16));
      const sealed = await this.sealer.seal({ store: 'pins', id }, checked);
      const tx = db.transaction('pins', 'readwrite');
      await Promise.all([
        tx.store.put({ id, sealed }),
        ...same.slice(1).map((p) => tx.store.delete(p.id)), // left by a race between tabs
        tx.done,
      ]);
    });
  }

  async listPins(): Promise<PinnedIdentity[]> {
    return (await this.#pins()).map((p) => p.pin);
  }

  /**
   * Every stored message (of one room, or all), a bucket at a time, in storage order:
   * what search over history reads. `visit` returns false to stop early. Buckets are
   * opened a few at a time so a 100,000-message scan is ~1,600 decryptions, in parallel.
   */
  async scanMessages(
    visit: (messages: StoredMessage[]) => boolean | void,
    roomId?: string,
  ): Promise<void> {
    this.#open();
    await scanBuckets(
      () => this.#open(),
      roomId,
      (row) => this.buckets.open(row),
      visit,
    );
  }

  /**
   * Stored messages whose text contains `query` in any case (toLocaleLowerCase), newest
   * first by the author's clock, at most `limit`; of one room, or all. Answered from an
   * in-memory index (search-index.ts), built on the first search unless the page was idle
   * long enough after opening; an empty query finds nothing.
   */
  async searchMessages(query: string, limit: number, roomId?: string): Promise<StoredMessage[]> {
    this.#open();
    return this.#search.search(query, pageLimit(limit), roomId);
  }

  /** Whether decrypted text is held in memory for search right now (tests, diagnostics). */
  get searchIndexBuilt(): boolean {
    return this.#search.ready;
  }

  /**
   * Releases the database; every later call rejects with HistoryStoreError('closed') and
   * `reason` as its message (e.g. "Local data is locked..." when the vault locks).
   */
  async close(reason?: string): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (reason !== undefined) this.#closedReason = reason;
    clearTimeout(this.#warmUp);
    this.#search.close();
    this.#changes.close();
    await this.#queue.run(async () => db?.close());
  }

  async #pins(): Promise<{ id: string; pin: PinnedIdentity }[]> {
    const rows: SealedPinRow[] = await this.#open().getAll('pins');
    return Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        pin: await this.sealer.open(
          { store: 'pins', id: row.id },
          row.sealed,
          PinnedIdentitySchema,
          'pinned identity',
        ),
      })),
    );
  }

  /** `stale`: rows from the search index (see Buckets.messagesFor). */
  #messagesFor(rows: readonly MessageRow[], stale = false): Promise<StoredMessage[]> {
    if (rows.length === 0) return Promise.resolve([]);
    // One transaction for every bucket: the gets are all asked for before any answer.
    const buckets = this.#open().transaction('buckets').store;
    return this.buckets.messagesFor(rows, (roomId, n) => buckets.get([roomId, n]), stale);
  }

  /** Indexable fields of these messages (with their buckets); ones not stored are left out. */
  async #locate(keys: readonly MessageKey[]): Promise<IndexableMessage[]> {
    const store = this.#open().transaction('messages').store;
    const rows = (await Promise.all(keys.map((key) => store.get(key)))).filter(
      (r) => r !== undefined,
    );
    const messages = await this.#messagesFor(rows);
    return messages.map((m, i) => ({ ...m, bucket: rows[i]!.bucket }));
  }

  #changedElsewhere(change: HistoryChange): void {
    if (change.kind === 'stored') this.#search.storedElsewhere(change.keys);
    else this.#search.roomDeleted(change.roomId);
  }

  #open(): ChatDatabase {
    if (!this.#db) throw new HistoryStoreError('closed', this.#closedReason);
    return this.#db;
  }
}

/** Opens (creating or migrating if needed) the encrypted history in IndexedDB. */
export function openIdbHistoryStore(options: IdbHistoryStoreOptions): Promise<IdbHistoryStore> {
  return IdbHistoryStore.open(options);
}
