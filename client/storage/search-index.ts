// An in-memory index for searching history: per room, each message's id, times and
// lower-cased text, so a search is a pass over strings in memory instead of decrypting
// every stored bucket (~1,600 for 100,000 messages, seconds on a phone).
//
// SECURITY: this holds message plaintext (lower-cased) in page memory, only while the
// store is unlocked: IdbHistoryStore drops it when it closes (lock, sign-out), it is never
// written anywhere nor posted to another context. The unlocked page shows this text anyway.
// Memory is bounded: only what a search needs is kept (ids, times, the text and which
// bucket to read a hit from; no envelopes, keys or signatures),
// messages without text are left out, and past MAX_INDEXED_CHARS the index gives up
// (search then scans the store as before).
import { compareOrder } from './records';

/** ~32 MB of one-byte strings: far above 100,000 ordinary messages (~8 M characters). */
export const MAX_INDEXED_CHARS = 32_000_000;

export interface SearchEntry {
  readonly roomId: string;
  readonly authorDevice: string;
  readonly counter: number;
  readonly lamport: number;
  /** The author's clock, which search results are ordered by (newest first). */
  readonly sentAt: number;
  /** The message text, lower-cased with toLocaleLowerCase. */
  readonly text: string;
  /** The sealed bucket holding the message (idb-buckets.ts): a hit is read from there. */
  readonly bucket: number;
}

/** The fields indexed from a message (a decoded one, or its raw JSON: same field names). */
export interface IndexableMessage {
  readonly roomId: string;
  readonly authorDevice: string;
  readonly counter: number;
  readonly lamport: number;
  readonly sentAt: number;
  readonly envelope: unknown;
  readonly bucket: number;
}

export class SearchIndexFullError extends Error {
  override readonly name = 'SearchIndexFullError';
}

/** The text search matches: the envelope's `text` when it is a string. */
export function messageText(message: Pick<IndexableMessage, 'envelope'>): string | undefined {
  const envelope = message.envelope as { text?: unknown } | null;
  const text = typeof envelope === 'object' && envelope !== null ? envelope.text : undefined;
  return typeof text === 'string' ? text : undefined;
}

type Dated = Pick<SearchEntry, 'sentAt' | 'lamport' | 'authorDevice' | 'counter'>;

/** Newest first by the author's clock; ties broken by Lamport time, then id (descending). */
export function newerFirst(a: Dated, b: Dated): number {
  return (
    b.sentAt - a.sentAt ||
    b.lamport - a.lamport ||
    (a.authorDevice < b.authorDevice ? 1 : a.authorDevice > b.authorDevice ? -1 : 0) ||
    b.counter - a.counter
  );
}

/** The first index in `entries` (compareOrder-sorted) not before `target`. */
function lowerBound(entries: readonly SearchEntry[], target: SearchEntry): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareOrder(entries[mid]!, target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts one by one up to this many per room and call; past it, append and sort once. */
const SPLICE_AT_MOST = 32;

class RoomEntries {
  constructor(readonly roomId: string) {}

  /** Sorted by compareOrder once `sorted`; a build appends first and sorts once. */
  entries: SearchEntry[] = [];
  sorted = true;
  /** One string per author device id, however many messages carry it. */
  readonly devices = new Map<string, string>();

  device(id: string): string {
    const known = this.devices.get(id);
    if (known !== undefined) return known;
    this.devices.set(id, id);
    return id;
  }

  /** Whether this message (same id) is indexed; the entries must be sorted. */
  has(entry: SearchEntry): boolean {
    const there = this.entries[lowerBound(this.entries, entry)];
    return there?.authorDevice === entry.authorDevice && there.counter === entry.counter;
  }

  chars(): number {
    let total = 0;
    for (const entry of this.entries) total += entry.text.length;
    return total;
  }

  sort(): void {
    if (this.sorted) return;
    this.entries.sort(compareOrder);
    // A message read twice (a bucket rewritten during the build) is kept once.
    this.entries = this.entries.filter(
      (entry, i, all) => i === 0 || compareOrder(all[i - 1]!, entry) !== 0,
    );
    this.sorted = true;
  }
}

export class SearchIndex {
  readonly #rooms = new Map<string, RoomEntries>();
  #chars = 0;

  /** Characters of text held (the memory bound counts these). */
  get chars(): number {
    return this.#chars;
  }

  get size(): number {
    let total = 0;
    for (const room of this.#rooms.values()) total += room.entries.length;
    return total;
  }

  /**
   * Appends without looking for duplicates (the build: call finish() before searching).
   * Throws SearchIndexFullError past MAX_INDEXED_CHARS.
   */
  append(message: IndexableMessage): void {
    const entry = this.#entry(message);
    if (!entry) return;
    const room = this.#room(message.roomId);
    room.entries.push(entry);
    room.sorted = false;
    this.#count(entry.text.length);
  }

  /** Sorts what append() added; after this, add() keeps the order. */
  finish(): void {
    this.#chars = 0;
    for (const room of this.#rooms.values()) {
      room.sort();
      for (const entry of room.entries) this.#chars += entry.text.length;
    }
  }

  /** Adds messages not indexed yet (one already there, same room and id, is left as is). */
  add(messages: readonly IndexableMessage[]): void {
    const fresh = new Map<RoomEntries, SearchEntry[]>();
    for (const message of messages) {
      const entry = this.#entry(message);
      if (!entry) continue;
      const room = this.#room(message.roomId);
      room.sort();
      if (room.has(entry)) continue;
      const list = fresh.get(room);
      if (list) list.push(entry);
      else fresh.set(room, [entry]);
    }
    for (const [room, entries] of fresh) {
      if (entries.length <= SPLICE_AT_MOST) {
        // Live messages: usually appended at the end, else a few moves in memory.
        for (const entry of entries) {
          if (room.has(entry)) continue;
          room.entries.splice(lowerBound(room.entries, entry), 0, entry);
          this.#count(entry.text.length);
        }
      } else {
        // A sync page of older messages: hundreds of inserts in the middle cost more than
        // one sort (which also drops a message listed twice).
        const before = room.chars();
        for (const entry of entries) room.entries.push(entry);
        room.sorted = false;
        room.sort();
        this.#count(room.chars() - before);
      }
    }
  }

  deleteRoom(roomId: string): void {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    for (const entry of room.entries) this.#chars -= entry.text.length;
    this.#rooms.delete(roomId);
  }

  /**
   * Messages whose lower-cased text contains `needle` (lower-cased by the caller), newest
   * first (newerFirst), at most `limit`; in one room, or in all.
   */
  search(needle: string, limit: number, roomId?: string): SearchEntry[] {
    const one = roomId === undefined ? undefined : this.#rooms.get(roomId);
    const rooms = roomId === undefined ? [...this.#rooms.values()] : one ? [one] : [];
    let found: SearchEntry[] = [];
    for (const room of rooms) {
      room.sort();
      for (const entry of room.entries) {
        if (entry.text.includes(needle)) found.push(entry);
      }
      // Trimmed now and then so a needle that matches everything stays cheap in memory.
      if (found.length > 4 * limit) found = found.sort(newerFirst).slice(0, limit);
    }
    return found.sort(newerFirst).slice(0, limit);
  }

  #room(roomId: string): RoomEntries {
    let room = this.#rooms.get(roomId);
    if (!room) this.#rooms.set(roomId, (room = new RoomEntries(roomId)));
    return room;
  }

  #entry(message: IndexableMessage): SearchEntry | undefined {
    const text = messageText(message);
    if (text === undefined) return undefined;
    const room = this.#room(message.roomId);
    return {
      roomId: room.roomId,
      authorDevice: room.device(message.authorDevice),
      counter: message.counter,
      lamport: message.lamport,
      sentAt: message.sentAt,
      text: text.toLocaleLowerCase(),
      bucket: message.bucket,
    };
  }

  #count(chars: number): void {
    this.#chars += chars;
    if (this.#chars > MAX_INDEXED_CHARS) {
      throw new SearchIndexFullError('History is too large to index for search in memory.');
    }
  }
}
