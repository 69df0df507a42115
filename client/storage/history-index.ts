// The decrypted, in-memory view of a history that a whole-file store (the Node CLI's)
// loads at start and keeps up to date. Pure data structures, no I/O and no crypto: the
// store decides what is durable, this decides what the queries return.
import {
  laterDeliveryState,
  type DeliveryState,
  type HighWaterMark,
  type HistoryPageOptions,
  type PinnedIdentity,
  type StoredMessage,
  type StoredRoom,
} from '../core/history-store';
import { compareOrder, pageLimit } from './records';

interface AuthorLog {
  /** Every stored counter, ascending. */
  readonly counters: number[];
  contiguous: number;
}

class RoomLog {
  readonly byKey = new Map<string, StoredMessage>();
  /** Ascending history order (compareOrder). */
  readonly ordered: StoredMessage[] = [];
  readonly authors = new Map<string, AuthorLog>();
}

function key(authorDevice: string, counter: number): string {
  return `${authorDevice}\n${counter}`;
}

/** The first index whose element is not less than `target` by `less`. */
function lowerBound<T, U>(items: readonly T[], target: U, less: (item: T, t: U) => boolean) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (less(items[mid]!, target)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class HistoryIndex {
  readonly rooms = new Map<string, StoredRoom>();
  readonly pins = new Map<string, PinnedIdentity>();
  readonly #logs = new Map<string, RoomLog>();

  #log(roomId: string): RoomLog | undefined {
    return this.#logs.get(roomId);
  }

  deleteRoom(roomId: string): void {
    this.rooms.delete(roomId);
    this.#logs.delete(roomId);
  }

  hasMessage(roomId: string, authorDevice: string, counter: number): boolean {
    return this.#log(roomId)?.byKey.has(key(authorDevice, counter)) ?? false;
  }

  /** False when this message was already stored (it is left unchanged). */
  addMessage(message: StoredMessage): boolean {
    let log = this.#logs.get(message.roomId);
    if (!log) this.#logs.set(message.roomId, (log = new RoomLog()));
    const k = key(message.authorDevice, message.counter);
    if (log.byKey.has(k)) return false;
    log.byKey.set(k, message);
    const at = lowerBound(log.ordered, message, (a, b) => compareOrder(a, b) < 0);
    log.ordered.splice(at, 0, message);
    let author = log.authors.get(message.authorDevice);
    if (!author) log.authors.set(message.authorDevice, (author = { counters: [], contiguous: 0 }));
    const slot = lowerBound(author.counters, message.counter, (a, b) => a < b);
    author.counters.splice(slot, 0, message.counter);
    // counters[i] === i + 1 exactly while there is no gap below i.
    while (author.counters[author.contiguous] === author.contiguous + 1) author.contiguous++;
    return true;
  }

  getMessage(roomId: string, authorDevice: string, counter: number): StoredMessage | undefined {
    return this.#log(roomId)?.byKey.get(key(authorDevice, counter));
  }

  /** The updated message, or undefined when not stored; unchanged state returns it as is. */
  setState(
    roomId: string,
    authorDevice: string,
    counter: number,
    state: DeliveryState,
  ): StoredMessage | undefined {
    const log = this.#log(roomId);
    const k = key(authorDevice, counter);
    const current = log?.byKey.get(k);
    if (!log || !current) return undefined;
    const next = laterDeliveryState(current.state, state);
    if (next === current.state) return current;
    const updated = { ...current, state: next };
    log.byKey.set(k, updated);
    const at = lowerBound(log.ordered, current, (a, b) => compareOrder(a, b) < 0);
    log.ordered[at] = updated;
    return updated;
  }

  history(roomId: string, options: HistoryPageOptions = {}): StoredMessage[] {
    const log = this.#log(roomId);
    const limit = pageLimit(options.limit);
    if (!log) return [];
    const before = options.before;
    const end = before
      ? lowerBound(log.ordered, before, (a, b) => compareOrder(a, b) < 0)
      : log.ordered.length;
    return log.ordered.slice(Math.max(0, end - limit), end).reverse();
  }

  countMessages(roomId: string, afterLamport?: number): number {
    const log = this.#log(roomId);
    if (!log) return 0;
    if (afterLamport === undefined) return log.ordered.length;
    const first = lowerBound(log.ordered, afterLamport, (a, t) => a.lamport <= t);
    return log.ordered.length - first;
  }

  maxLamport(roomId: string): number {
    return this.#log(roomId)?.ordered.at(-1)?.lamport ?? 0;
  }

  highWaterMarks(roomId: string): HighWaterMark[] {
    const log = this.#log(roomId);
    if (!log) return [];
    return [...log.authors].map(([authorDevice, author]) => ({
      authorDevice,
      contiguous: author.contiguous,
      highest: author.counters.at(-1) ?? 0,
    }));
  }

  messagesAfter(
    roomId: string,
    authorDevice: string,
    afterCounter: number,
    limit: number,
  ): StoredMessage[] {
    const log = this.#log(roomId);
    const author = log?.authors.get(authorDevice);
    if (!log || !author) return [];
    const from = lowerBound(author.counters, afterCounter, (a, t) => a <= t);
    return author.counters
      .slice(from, from + pageLimit(limit))
      .map((counter) => log.byKey.get(key(authorDevice, counter))!);
  }

  outbox(roomId?: string): StoredMessage[] {
    const logs = roomId === undefined ? [...this.#logs.values()] : [this.#log(roomId)];
    const pending: StoredMessage[] = [];
    for (const log of logs) {
      for (const message of log?.ordered ?? [])
        if (message.state === 'pending') pending.push(message);
    }
    return pending.sort(compareOrder);
  }

  /** Every live record, for rewriting a compacted log. */
  *allMessages(): Iterable<StoredMessage> {
    for (const log of this.#logs.values()) yield* log.ordered;
  }
}
