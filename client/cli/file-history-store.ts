// The terminal client's HistoryStore: an append-only log file of records sealed with the
// device data key (client/storage/node-append-log.ts), loaded into memory at start. Every
// record, its keys included, is encrypted: the file shows only line numbers and sizes.
// Each record's line number is bound into its AAD, so lines can't be swapped or replayed.
import { z } from 'zod';
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
import { HistoryIndex } from '../storage/history-index';
import { AppendLog } from '../storage/node-append-log';
import { acquireDirLock, type DirLock } from '../storage/node-dir-lock';
import { RecordSealer, SerialQueue } from '../storage/record-sealer';
import {
  PinnedIdentitySchema,
  StoredMessageSchema,
  StoredRoomSchema,
  checkInput,
} from '../storage/records';

export { openCliDataKey, DataKeyError, type CliDataKeyOptions } from '../storage/node-data-key';

const LOG_FILE = 'history.log';
/** Rewrite the log on open once most entries are superseded, and at least this many. */
const COMPACT_SLACK = 1000;

type LogEntry =
  | { t: 'room'; room: StoredRoom }
  | { t: 'room-delete'; roomId: string }
  | { t: 'message'; message: StoredMessage }
  | { t: 'state'; roomId: string; authorDevice: string; counter: number; state: DeliveryState }
  | { t: 'pin'; pin: PinnedIdentity };

const LogEntry: z.ZodType<LogEntry> = z.discriminatedUnion('t', [
  z.object({ t: z.literal('room'), room: StoredRoomSchema }),
  z.object({ t: z.literal('room-delete'), roomId: z.string() }),
  z.object({ t: z.literal('message'), message: StoredMessageSchema }),
  z.object({
    t: z.literal('state'),
    roomId: z.string(),
    authorDevice: z.string(),
    counter: z.number(),
    state: z.enum(['pending', 'sent', 'delivered']),
  }),
  z.object({ t: z.literal('pin'), pin: PinnedIdentitySchema }),
]);

/**
 * One log line seals a whole write (up to this many entries): a sync page of messages is
 * one encryption and one line, not hundreds.
 */
const ENTRIES_PER_LINE = 512;
const LogLineEntries = z.array(LogEntry).min(1).max(ENTRIES_PER_LINE);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Messages from others are not fsynced one page at a time: after a power cut, history sync
 * fetches them again from any peer (marks come from what the file really holds). Our own
 * messages, delivery states, rooms and pins exist nowhere else, so they are.
 */
function needsSync(entry: LogEntry): boolean {
  return !(entry.t === 'message' && entry.message.state === 'delivered');
}

function location(sequence: number) {
  return { store: 'history-log', id: String(sequence) };
}

// Callers get copies: a Uint8Array handed on (e.g. transferred to a worker) must not
// change what the store holds.
const copy = <T>(value: T): T => structuredClone(value);

export interface FileHistoryStoreOptions {
  /** The CLI's data dir (or a subfolder): created with mode 0700 if missing. */
  readonly dir: string;
  readonly crypto: RecordCrypto;
  /** A data-key handle from the crypto api (see openCliDataKey). */
  readonly dataKey: string;
}

export class FileHistoryStore implements HistoryStore {
  readonly #index = new HistoryIndex();
  readonly #queue = new SerialQueue();
  #closed = false;

  private constructor(
    private readonly log: AppendLog,
    private readonly sealer: RecordSealer,
    private readonly lock: DirLock,
  ) {}

  static async open(options: FileHistoryStoreOptions): Promise<FileHistoryStore> {
    // Lock first: opening the log may cut a torn tail, which must not race a live writer.
    const lock = await acquireDirLock(options.dir);
    let opened: Awaited<ReturnType<typeof AppendLog.open>>;
    try {
      opened = await AppendLog.open(options.dir, LOG_FILE);
    } catch (error) {
      await lock.release();
      throw error;
    }
    const { log, lines } = opened;
    const store = new FileHistoryStore(
      log,
      new RecordSealer(options.crypto, options.dataKey),
      lock,
    );
    try {
      const records = await Promise.all(
        lines.map((line) =>
          store.sealer.open(location(line.sequence), line.record, LogLineEntries, 'history record'),
        ),
      );
      for (const entries of records) for (const entry of entries) store.#apply(entry);
      const total = records.reduce((sum, entries) => sum + entries.length, 0);
      const live = store.#liveRecords();
      if (total > 2 * live && total - live > COMPACT_SLACK) await store.#compact();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async putRoom(room: StoredRoom): Promise<void> {
    const checked = copy(checkInput(StoredRoomSchema, room, 'room'));
    return this.#write(() => [{ t: 'room', room: checked }]);
  }

  async getRoom(roomId: string): Promise<StoredRoom | undefined> {
    return copy(this.#readable().rooms.get(roomId));
  }

  async listRooms(): Promise<StoredRoom[]> {
    return copy([...this.#readable().rooms.values()].sort((a, b) => b.createdAt - a.createdAt));
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.#write(() => [{ t: 'room-delete', roomId }]);
    // Deleting a conversation should not leave its records in the file, even encrypted.
    await this.#queue.run(() => this.#compact());
  }

  async addMessages(messages: readonly StoredMessage[]): Promise<StoredMessage[]> {
    const checked = copy(messages.map((m) => checkInput(StoredMessageSchema, m, 'message')));
    const added: StoredMessage[] = [];
    await this.#write(() => {
      const seen = new Set<string>();
      for (const message of checked) {
        const id = `${message.roomId}\n${message.authorDevice}\n${message.counter}`;
        if (seen.has(id)) continue;
        seen.add(id);
        if (!this.#index.hasMessage(message.roomId, message.authorDevice, message.counter)) {
          added.push(message);
        }
      }
      return added.map((message) => ({ t: 'message', message }));
    });
    return copy(added);
  }

  async getMessage(roomId: string, authorDevice: string, counter: number) {
    return copy(this.#readable().getMessage(roomId, authorDevice, counter));
  }

  async setDeliveryState(
    roomId: string,
    authorDevice: string,
    counter: number,
    state: DeliveryState,
  ): Promise<DeliveryState | undefined> {
    let result: DeliveryState | undefined;
    await this.#write(() => {
      const current = this.#index.getMessage(roomId, authorDevice, counter);
      if (!current) return [];
      result = laterDeliveryState(current.state, state);
      return result === current.state ? [] : [{ t: 'state', roomId, authorDevice, counter, state }];
    });
    return result;
  }

  async history(roomId: string, options?: HistoryPageOptions): Promise<StoredMessage[]> {
    return copy(this.#readable().history(roomId, options));
  }

  async countMessages(roomId: string, afterLamport?: number): Promise<number> {
    return this.#readable().countMessages(roomId, afterLamport);
  }

  async maxLamport(roomId: string): Promise<number> {
    return this.#readable().maxLamport(roomId);
  }

  async highWaterMarks(roomId: string): Promise<HighWaterMark[]> {
    return this.#readable().highWaterMarks(roomId);
  }

  async messagesAfter(roomId: string, authorDevice: string, afterCounter: number, limit: number) {
    return copy(this.#readable().messagesAfter(roomId, authorDevice, afterCounter, limit));
  }

  async outbox(roomId?: string): Promise<StoredMessage[]> {
    return copy(this.#readable().outbox(roomId));
  }

  async getPin(username: string): Promise<PinnedIdentity | undefined> {
    return copy(this.#readable().pins.get(username));
  }

  async putPin(pin: PinnedIdentity): Promise<void> {
    const checked = copy(checkInput(PinnedIdentitySchema, pin, 'pinned identity'));
    return this.#write(() => [{ t: 'pin', pin: checked }]);
  }

  async listPins(): Promise<PinnedIdentity[]> {
    return copy([...this.#readable().pins.values()]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.run(async () => {
      try {
        await this.log.close();
      } finally {
        await this.lock.release();
      }
    });
  }

  #readable(): HistoryIndex {
    if (this.#closed) throw new HistoryStoreError('closed', 'The history store is closed.');
    return this.#index;
  }

  /** Decides the entries inside the queue (so it sees every earlier write), then persists. */
  async #write(decide: () => LogEntry[]): Promise<void> {
    this.#readable();
    return this.#queue.run(async () => {
      const entries = decide();
      if (entries.length === 0) return;
      const first = this.log.nextSequence;
      const sealed = await Promise.all(
        chunks(entries, ENTRIES_PER_LINE).map((line, i) =>
          this.sealer.seal(location(first + i), line),
        ),
      );
      await this.log.append(sealed, { sync: entries.some(needsSync) });
      for (const entry of entries) this.#apply(entry);
    });
  }

  #apply(entry: LogEntry): void {
    switch (entry.t) {
      case 'room':
        this.#index.rooms.set(entry.room.roomId, entry.room);
        return;
      case 'room-delete':
        this.#index.deleteRoom(entry.roomId);
        return;
      case 'message':
        this.#index.addMessage(entry.message);
        return;
      case 'state':
        this.#index.setState(entry.roomId, entry.authorDevice, entry.counter, entry.state);
        return;
      case 'pin':
        this.#index.pins.set(entry.pin.username, entry.pin);
        return;
    }
  }

  #liveRecords(): number {
    let messages = 0;
    for (const _ of this.#index.allMessages()) messages++;
    return this.#index.rooms.size + this.#index.pins.size + messages;
  }

  async #compact(): Promise<void> {
    const entries: LogEntry[] = [
      ...[...this.#index.rooms.values()].map((room) => ({ t: 'room' as const, room })),
      ...[...this.#index.allMessages()].map((message) => ({ t: 'message' as const, message })),
      ...[...this.#index.pins.values()].map((pin) => ({ t: 'pin' as const, pin })),
    ];
    const sealed = await Promise.all(
      chunks(entries, ENTRIES_PER_LINE).map((line, i) => this.sealer.seal(location(i + 1), line)),
    );
    await this.log.rewrite(sealed);
  }
}

/** Opens (or creates) the encrypted history under `dir`. */
export function openFileHistoryStore(options: FileHistoryStoreOptions): Promise<FileHistoryStore> {
  return FileHistoryStore.open(options);
}
