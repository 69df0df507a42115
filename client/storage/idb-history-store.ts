// The browser's HistoryStore: IndexedDB through idb, every row's content sealed with the
// device data key (schema.ts says which fields stay clear, and why).
//
// NOTE: an IndexedDB transaction commits as soon as it waits on anything but its own
// requests, so crypto happens between transactions: read, decrypt/encrypt, then write in
// a second transaction that re-checks what the first one saw.
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
import { openChatDB, type ChatDatabase } from './db';
import { RecordSealer, SerialQueue } from './record-sealer';
import {
  PinnedIdentitySchema,
  StoredMessageSchema,
  StoredRoomSchema,
  checkInput,
  compareOrder,
  pageLimit,
} from './records';
import type { MessageKey, MessageRow, SealedPinRow } from './schema';

/** Sorts after every string and number, so [roomId, HIGH] closes a room's key range. */
const HIGH: [] = [];

function roomRange(roomId: string): IDBKeyRange {
  return IDBKeyRange.bound([roomId], [roomId, HIGH]);
}

function messageKey(m: Pick<StoredMessage, 'roomId' | 'authorDevice' | 'counter'>): MessageKey {
  return [m.roomId, m.authorDevice, m.counter];
}

// The clear index fields are in the AAD too: a row whose lamport or key was edited fails.
function messageLocation(m: Omit<MessageRow, 'sealed'>) {
  return {
    store: 'messages',
    id: JSON.stringify([m.roomId, m.authorDevice, m.counter, m.lamport]),
  };
}

export interface IdbHistoryStoreOptions {
  readonly crypto: RecordCrypto;
  /** A data-key handle from the crypto api. */
  readonly dataKey: string;
  /** The database name; tests use their own. */
  readonly name?: string;
}

export class IdbHistoryStore implements HistoryStore {
  readonly #queue = new SerialQueue();
  #db: ChatDatabase | undefined;

  private constructor(
    db: ChatDatabase,
    private readonly sealer: RecordSealer,
  ) {
    this.#db = db;
  }

  static async open(options: IdbHistoryStoreOptions): Promise<IdbHistoryStore> {
    const db = await openChatDB(options.name);
    return new IdbHistoryStore(db, new RecordSealer(options.crypto, options.dataKey));
  }

  async putRoom(room: StoredRoom): Promise<void> {
    const checked = checkInput(StoredRoomSchema, room, 'room');
    const db = this.#open();
    const sealed = await this.sealer.seal({ store: 'rooms', id: checked.roomId }, checked);
    await db.put('rooms', { roomId: checked.roomId, sealed });
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
    const tx = this.#open().transaction(['rooms', 'messages', 'marks', 'outbox'], 'readwrite');
    await Promise.all([
      tx.objectStore('rooms').delete(roomId),
      tx.objectStore('messages').delete(roomRange(roomId)),
      tx.objectStore('marks').delete(roomRange(roomId)),
      tx.objectStore('outbox').delete(roomRange(roomId)),
      tx.done,
    ]);
  }

  async addMessages(messages: readonly StoredMessage[]): Promise<StoredMessage[]> {
    const checked = messages.map((m) => checkInput(StoredMessageSchema, m, 'message'));
    const db = this.#open();
    return this.#queue.run(async () => {
      const unique = [...new Map(checked.map((m) => [JSON.stringify(messageKey(m)), m])).values()];
      const known = db.transaction('messages').store;
      const stored = await Promise.all(unique.map((m) => known.getKey(messageKey(m))));
      const fresh = unique.filter((_, i) => stored[i] === undefined);
      if (fresh.length === 0) return [];
      const sealed = await Promise.all(fresh.map((m) => this.sealer.seal(messageLocation(m), m)));
      return this.#insert(db, fresh, sealed);
    });
  }

  async #insert(
    db: ChatDatabase,
    fresh: StoredMessage[],
    sealed: Uint8Array[],
  ): Promise<StoredMessage[]> {
    const tx = db.transaction(['messages', 'marks', 'outbox'], 'readwrite');
    const rows = tx.objectStore('messages');
    // Another tab may have stored some of these since the read above.
    const present = await Promise.all(fresh.map((m) => rows.getKey(messageKey(m))));
    const added = fresh.filter((_, i) => present[i] === undefined);
    const writes: Promise<unknown>[] = [];
    const byAuthor = new Map<
      string,
      { roomId: string; authorDevice: string; counters: Set<number> }
    >();
    fresh.forEach((m, i) => {
      if (present[i] !== undefined) return;
      const { roomId, authorDevice, counter, lamport } = m;
      writes.push(rows.put({ roomId, authorDevice, counter, lamport, sealed: sealed[i]! }));
      if (m.state === 'pending') {
        writes.push(tx.objectStore('outbox').put({ roomId, authorDevice, counter, lamport }));
      }
      const group = JSON.stringify([roomId, authorDevice]);
      const entry = byAuthor.get(group) ?? { roomId, authorDevice, counters: new Set<number>() };
      entry.counters.add(counter);
      byAuthor.set(group, entry);
    });
    const marks = tx.objectStore('marks');
    for (const { roomId, authorDevice, counters } of byAuthor.values()) {
      const mark = (await marks.get([roomId, authorDevice])) ?? { contiguous: 0, highest: 0 };
      let contiguous = mark.contiguous;
      // Advance over the new counters and over any stored earlier above the old gap.
      while (
        counters.has(contiguous + 1) ||
        (contiguous + 1 <= mark.highest &&
          (await rows.getKey([roomId, authorDevice, contiguous + 1])) !== undefined)
      ) {
        contiguous++;
      }
      let highest = mark.highest;
      for (const counter of counters) highest = Math.max(highest, counter);
      writes.push(marks.put({ roomId, authorDevice, contiguous, highest }));
    }
    await Promise.all([...writes, tx.done]);
    return added;
  }

  async getMessage(roomId: string, authorDevice: string, counter: number) {
    const row = await this.#open().get('messages', [roomId, authorDevice, counter]);
    return row && this.#openMessage(row);
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
      // Retried when another tab changed the row between our read and our write.
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await db.get('messages', key);
        if (!row) return undefined;
        const current = await this.#openMessage(row);
        const next = laterDeliveryState(current.state, state);
        if (next === current.state) return next;
        const sealed = await this.sealer.seal(messageLocation(row), { ...current, state: next });
        const tx = db.transaction(['messages', 'outbox'], 'readwrite');
        const now = await tx.objectStore('messages').get(key);
        if (!now || !constantTimeEqual(now.sealed, row.sealed)) continue;
        await Promise.all([
          tx.objectStore('messages').put({ ...row, sealed }),
          tx.objectStore('outbox').delete(key),
          tx.done,
        ]);
        return next;
      }
      throw new HistoryStoreError('io', 'The delivery state kept changing; try again.');
    });
  }

  async history(roomId: string, options: HistoryPageOptions = {}): Promise<StoredMessage[]> {
    const limit = pageLimit(options.limit);
    const before = options.before;
    const upper = before
      ? [roomId, before.lamport, before.authorDevice, before.counter]
      : [roomId, HIGH];
    const range = IDBKeyRange.bound([roomId], upper, false, true);
    const rows: MessageRow[] = [];
    const index = this.#open().transaction('messages').store.index('by-order');
    for (let cursor = await index.openCursor(range, 'prev'); cursor && rows.length < limit;) {
      rows.push(cursor.value);
      cursor = await cursor.continue();
    }
    return Promise.all(rows.map((row) => this.#openMessage(row)));
  }

  async countMessages(roomId: string, afterLamport?: number): Promise<number> {
    const range =
      afterLamport === undefined
        ? roomRange(roomId)
        : IDBKeyRange.bound([roomId, afterLamport, HIGH], [roomId, HIGH], true, true);
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
    return Promise.all(rows.map((row) => this.#openMessage(row)));
  }

  async outbox(roomId?: string): Promise<StoredMessage[]> {
    const tx = this.#open().transaction(['outbox', 'messages']);
    const pending = await tx
      .objectStore('outbox')
      .getAll(roomId === undefined ? undefined : roomRange(roomId));
    const rows = await Promise.all(
      pending.map((p) => tx.objectStore('messages').get(messageKey(p))),
    );
    const messages = await Promise.all(
      rows.filter((row) => row !== undefined).map((row) => this.#openMessage(row)),
    );
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

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
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

  async #openMessage(row: MessageRow): Promise<StoredMessage> {
    const message = await this.sealer.open(
      messageLocation(row),
      row.sealed,
      StoredMessageSchema,
      'message',
    );
    if (compareOrder(message, row) !== 0 || message.roomId !== row.roomId) {
      throw new HistoryStoreError('corrupt', 'A stored message does not match its index entry.');
    }
    return message;
  }

  #open(): ChatDatabase {
    if (!this.#db) throw new HistoryStoreError('closed', 'The history store is closed.');
    return this.#db;
  }
}

/** Opens (creating or migrating if needed) the encrypted history in IndexedDB. */
export function openIdbHistoryStore(options: IdbHistoryStoreOptions): Promise<IdbHistoryStore> {
  return IdbHistoryStore.open(options);
}
