// Keeps IdbHistoryStore's in-memory SearchIndex (search-index.ts) in step with the store:
// built on the first search (or when the page is idle after opening), updated by every
// write of this tab and, told through a BroadcastChannel by the store, of other tabs, and
// dropped when the store closes. A build takes seconds at 100,000 messages and writes go on
// meanwhile, so writes seen during a build are applied once it ends (add() skips a message
// the build already read).
import type { StoredMessage } from '../core/history-store';
import type { MessageKey, MessageRow } from './schema';
import {
  SearchIndex,
  SearchIndexFullError,
  messageText,
  newerFirst,
  type IndexableMessage,
} from './search-index';

export interface SearchSource {
  /** Every stored message's indexable fields, bucket by bucket, in storage order. */
  scanIndexable(visit: (messages: readonly IndexableMessage[]) => void): Promise<void>;
  /** These messages, in the same order; ones no longer stored are left out. */
  fetch(rows: readonly MessageRow[]): Promise<StoredMessage[]>;
  /** These messages' indexable fields (another tab stored them); missing ones left out. */
  locate(keys: readonly MessageKey[]): Promise<IndexableMessage[]>;
  /** Every stored message, decoded (the search when the index is too large to hold). */
  scan(visit: (messages: StoredMessage[]) => void, roomId?: string): Promise<void>;
}

interface BuildPending {
  added: IndexableMessage[];
  readonly deletedRooms: Set<string>;
}

export class HistorySearch {
  #index: SearchIndex | undefined;
  #building: Promise<SearchIndex | undefined> | undefined;
  /** Writes seen while a build runs: applied when it ends. */
  #pending: BuildPending | undefined;
  /** Messages other tabs stored: read and indexed before the next search. */
  #elsewhere: MessageKey[] = [];
  #tooLarge = false;
  #closed = false;

  constructor(private readonly source: SearchSource) {}

  /** True once built (tests; the app does not need to know). */
  get ready(): boolean {
    return this.#index !== undefined;
  }

  /** Builds now if not built yet; errors are left for the next search to meet. */
  warm(): void {
    this.#ready().catch(() => undefined);
  }

  /**
   * Messages whose text contains `query` in any case, newest first (by the author's
   * clock), at most `limit`, in one room or all. An empty query finds nothing.
   */
  async search(query: string, limit: number, roomId?: string): Promise<StoredMessage[]> {
    const needle = query.toLocaleLowerCase();
    if (needle.length === 0) return [];
    const index = await this.#ready();
    if (!index) return this.#scanSearch(needle, limit, roomId);
    return this.source.fetch(index.search(needle, limit, roomId));
  }

  /** Messages this tab just stored. */
  added(messages: readonly IndexableMessage[]): void {
    if (this.#pending) {
      for (const message of messages) this.#pending.added.push(message);
      return;
    }
    this.#apply((index) => index.add(messages));
  }

  /** A room this tab or another deleted. */
  roomDeleted(roomId: string): void {
    this.#index?.deleteRoom(roomId);
    this.#elsewhere = this.#elsewhere.filter(([room]) => room !== roomId);
    if (this.#pending) {
      this.#pending.added = this.#pending.added.filter((m) => m.roomId !== roomId);
      this.#pending.deletedRooms.add(roomId);
    }
  }

  /** Messages another tab stored (keys only: this tab reads them itself). */
  storedElsewhere(keys: readonly MessageKey[]): void {
    // With no index and no build, the next build reads them anyway.
    if (this.#index || this.#building) for (const key of keys) this.#elsewhere.push(key);
  }

  /** Forgets every indexed text (the store is closing: lock or sign-out). */
  close(): void {
    this.#closed = true;
    this.#index = undefined;
    this.#pending = undefined;
    this.#elsewhere = [];
  }

  async #ready(): Promise<SearchIndex | undefined> {
    if (this.#tooLarge || this.#closed) return undefined;
    if (!this.#index) {
      this.#building ??= this.#build();
      await this.#building;
    }
    if (this.#index && this.#elsewhere.length > 0) {
      const keys = this.#elsewhere;
      this.#elsewhere = [];
      this.added(await this.source.locate(keys));
    }
    return this.#index;
  }

  async #build(): Promise<SearchIndex | undefined> {
    const pending: BuildPending = { added: [], deletedRooms: new Set() };
    this.#pending = pending;
    const index = new SearchIndex();
    try {
      await this.source.scanIndexable((messages) => {
        for (const message of messages) index.append(message);
      });
      index.finish();
      for (const roomId of pending.deletedRooms) index.deleteRoom(roomId);
      index.add(pending.added);
      if (!this.#closed) this.#index = index;
      return this.#index;
    } catch (error) {
      if (!(error instanceof SearchIndexFullError)) throw error;
      this.#tooLarge = true;
      return undefined;
    } finally {
      if (this.#pending === pending) this.#pending = undefined;
      this.#building = undefined;
    }
  }

  #apply(update: (index: SearchIndex) => void): void {
    if (!this.#index) return;
    try {
      update(this.#index);
    } catch (error) {
      if (!(error instanceof SearchIndexFullError)) throw error;
      this.#index = undefined;
      this.#tooLarge = true;
    }
  }

  /** Without an index: decrypt and match everything, as search did before the index. */
  async #scanSearch(needle: string, limit: number, roomId?: string): Promise<StoredMessage[]> {
    let found: StoredMessage[] = [];
    await this.source.scan((messages) => {
      for (const message of messages) {
        if (messageText(message)?.toLocaleLowerCase().includes(needle)) found.push(message);
      }
      if (found.length > 4 * limit) found = found.sort(newerFirst).slice(0, limit);
    }, roomId);
    return found.sort(newerFirst).slice(0, limit);
  }
}
